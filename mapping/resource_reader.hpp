// Builds the SCIM resource (JSON) an LDAP entry is, through the resource's profile.
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"
#include "mapping/projection.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// What a DN held in a reference attribute (manager, memberOf, member) is in SCIM terms.
struct resolved_reference {
    std::string id;
    std::string display;
    std::string resource_type;  // "User" or "Group"
};

/// Resolves a DN to a resource of the same tenant, or nullptr: references that lead outside the
/// tenant (or to nothing) are left out of the response, never shown as DNs.
using reference_resolver = std::function<const resolved_reference*(const ldap::dn&)>;

struct read_context {
    const projection& fields;
    std::string_view base_url;  // e.g. "https://bridge.example.org/scim/v2"
    const reference_resolver& references;
    /// Where the resource's JSON is allocated: a list passes one arena for the whole page.
    boost::json::storage_ptr storage = {};
};

/// The SCIM resource for an entry of this resource type (only the projected attributes).
boost::json::object to_resource(const resource_profile& resource, const ldap::entry& entry,
                                const read_context& context);

/// The resource's id (the id attribute's value), or nullopt when the entry has none.
std::optional<std::string> id_of(const resource_profile& resource, const ldap::entry& entry);

/// The weak ETag of an entry: W/"<entryCSN>" (RFC 7644 §3.14).
std::optional<std::string> etag_of(const resource_profile& resource, const ldap::entry& entry);

/// Whether an entry is an active account by the profile's active strategy.
bool is_active(const active_settings& settings, const ldap::entry& entry);

/// Whether an entry holds the ppolicy_lock strategy's own end time (end_ldap = end_value).
bool has_end_mark(const active_settings& settings, const ldap::entry& entry);

/// The DN-valued attributes a read of this projection must resolve (manager, memberOf, member).
std::vector<const attribute_mapping*> reference_mappings(const resource_profile& resource,
                                                         const projection& fields);

}  // namespace scimldap::mapping
