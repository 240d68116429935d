// Translates a SCIM filter (syntax tree) into one LDAP filter through a resource's profile.
#pragma once

#include "bridge/ldap/ldap_types.hpp"
#include "bridge/scim/scim_error.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <map>
#include <string>
#include <vector>

namespace scimldap::mapping {

/// The LDAP filter selecting exactly the entries the SCIM filter selects, ANDed with the
/// resource's objectClass filter. RFC 4515 escaping for every value. A filter on an attribute
/// the profile does not map, or in a form not translated yet, → 400 invalidFilter naming it.
scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter);

/// Ids a filter compares reference attributes with (`members.value eq "id"`, `members eq`,
/// `members[value eq "id"]`, `groups.value eq`, `manager.value eq`): their DNs are what LDAP
/// holds, so the caller looks them up before translating.
std::vector<std::string> reference_filter_ids(const resource_profile& resource,
                                              const filter_node& filter);

/// Looked-up DNs by id in lower case; an id missing here names nothing, so it matches nothing.
using reference_dns = std::map<std::string, ldap::dn>;

/// translate_filter, with `eq`/`ne` on reference attributes translated through `references`
/// (`(member=<DN>)`) and `pr` on members ignoring the empty-group placeholder.
scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter,
                                            const reference_dns& references);

}  // namespace scimldap::mapping
