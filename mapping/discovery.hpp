// The SCIM discovery resources (RFC 7643 §5-§7) derived from a mapping profile: what the tenant
// really stores, with the characteristics its mappings declare (see docs/discovery.md).
#pragma once

#include "mapping/profile.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

inline constexpr std::string_view schema_schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
inline constexpr std::string_view resource_type_schema =
    "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
inline constexpr std::string_view service_provider_config_schema =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// One attribute definition of a Schema resource (RFC 7643 §7), before it becomes JSON.
struct schema_attribute {
    std::string name;
    std::string type;  // RFC 7643 §2.3 spelling: string, boolean, ..., reference, complex
    bool multi_valued = false;
    std::string description;  // omitted from JSON when empty
    bool required = false;
    std::vector<std::string> canonical_values;
    bool case_exact = false;
    mutability mutability_ = mutability::read_write;
    returned returned_ = returned::by_default;
    uniqueness uniqueness_ = uniqueness::none;
    std::vector<std::string> reference_types;      // only for type "reference"
    std::vector<schema_attribute> sub_attributes;  // only for type "complex"
};

/// The attributes `schema_urn` has in resource type r: one per mapped top-level attribute, in
/// RFC order for RFC schemas and profile order otherwise. The common attributes id and meta are
/// left out as RFC 7643 §8.7.1 does; externalId is listed when mapped (§3.1 allows it).
std::vector<schema_attribute> schema_attributes(const resource_profile& r,
                                                std::string_view schema_urn);

/// The attribute definition as RFC 7643 §7 writes it.
boost::json::object to_json(const schema_attribute& a);

/// One Schema resource; base_url is the absolute SCIM base ("https://host/scim/v2").
boost::json::object schema_resource(const resource_profile& r, std::string_view schema_urn,
                                    std::string_view base_url);

/// Every Schema the profile publishes: User's core schema and extensions, then Group's.
boost::json::array schema_resources(const profile& p, std::string_view base_url);

/// One ResourceType resource (RFC 7643 §6).
boost::json::object resource_type_resource(const resource_profile& r, std::string_view base_url);

/// The User and Group ResourceTypes.
boost::json::array resource_type_resources(const profile& p, std::string_view base_url);

/// What the service provider config says beyond what the profile decides.
struct service_provider_options {
    std::size_t max_results = 0;                   // filter.maxResults: the largest page served
    std::optional<std::string> documentation_uri;  // omitted when unset
    /// OAuth 2.0 client credentials are configured: the scheme is listed besides the bearer one.
    bool oauth_client_credentials = false;
    /// bulk.maxOperations and bulk.maxPayloadSize; 0 operations: bulk.supported is false.
    std::size_t bulk_max_operations = 0;
    std::size_t bulk_max_payload_bytes = 0;
    std::size_t default_page_size = 0;       // pagination.defaultPageSize (RFC 9865 §4)
    std::size_t cursor_timeout_seconds = 0;  // pagination.cursorTimeout
};

/// The ServiceProviderConfig resource (RFC 7643 §5) for a tenant using profile p.
boost::json::object service_provider_config(const profile& p,
                                            const service_provider_options& options,
                                            std::string_view base_url);

}  // namespace scimldap::mapping
