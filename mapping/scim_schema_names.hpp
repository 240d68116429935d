// The attribute names RFC 7643 defines for the core User and Group schemas and the enterprise
// extension, so a profile's misspelt core attribute is caught (with a suggestion).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

inline constexpr std::string_view core_user_schema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view core_group_schema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view enterprise_user_schema =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// One attribute of an RFC-defined schema: its canonical spelling, whether it is multi-valued
/// and its sub-attributes (empty when simple).
struct known_attribute {
    std::string_view name;
    bool multi_valued;
    std::vector<std::string_view> sub_attributes;
};

/// The RFC 7643 attributes of `schema` (core User §4.1, core Group §4.2, enterprise User §4.3,
/// plus the common attributes id, externalId and meta of §3.1); nullptr when the schema is not
/// defined by the RFC (a custom extension: any name goes).
const std::vector<known_attribute>* rfc_attributes(std::string_view schema);

/// The attribute named `name` (case-insensitively) in an RFC schema, or nullptr.
const known_attribute* find_rfc_attribute(std::string_view schema, std::string_view name);

}  // namespace scimldap::mapping
