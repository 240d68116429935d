// Group membership as value-level LDAP changes: the modifications a members delta or a new list
// (mapping/value_delta.hpp, from the PATCH engine's split_patch) becomes for the group as read,
// and the placeholder a groupOfNames keeps while it has no SCIM member (docs/mapping.md,
// "Groups").
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"

#include <string>
#include <vector>

namespace scimldap::mapping {

/// RFC 3876 values-return filter that keeps, of `member_attribute`, only `named` DNs (and the
/// placeholder), and every value of `other_attributes`: the pre-check of a delta change reads
/// just the values it names, never the whole list.
std::string named_values_filter(const std::string& member_attribute,
                                const std::vector<ldap::dn>& named,
                                const std::vector<std::string>& other_attributes);

/// The modifications of a delta change, given which of the named DNs the group holds
/// (`present`: normalised DNs, placeholder included when present): add only the absent, delete
/// only the present, and take the placeholder out when the first real member arrives.
std::vector<ldap::modification> delta_modifications(const members_settings& members,
                                                    const std::vector<ldap::dn>& to_add,
                                                    const std::vector<ldap::dn>& to_remove,
                                                    const std::vector<std::string>& present);

/// The modifications that turn the current member values into exactly `wanted` (value-level:
/// only changed DNs); an empty `wanted` leaves only the placeholder.
std::vector<ldap::modification> replacement_modifications(const members_settings& members,
                                                          const std::vector<std::string>& current,
                                                          const std::vector<ldap::dn>& wanted);

/// groupOfNames must keep a member: adds the placeholder to modifications that would remove the
/// last one (the directory answered objectClassViolation).
void keep_placeholder(const members_settings& members, std::vector<ldap::modification>& changes);

/// The member values a new group starts with: the DNs, or the placeholder when there are none.
std::vector<std::string> initial_members(const members_settings& members,
                                         const std::vector<ldap::dn>& dns);

}  // namespace scimldap::mapping
