// Translates a SCIM filter (syntax tree) into one LDAP filter through a resource's profile.
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <map>
#include <string>
#include <vector>

namespace scimldap::mapping {

/// An LDAP filter for a SCIM filter, and whether the entries it selects must be re-checked.
struct translated_filter {
    /// The resource's objectClass filter ANDed with the translation.
    ldap::filter filter;
    /// LDAP selects a superset (caseExact attributes, string ordering the server may lack a rule
    /// for): the caller keeps only entries whose SCIM resource matches (filter_match.hpp).
    bool recheck = false;
    /// The LDAP attributes the re-check needs (every mapping the filter names), when recheck.
    std::vector<std::string> attributes;
};

/// Ids a filter compares reference attributes with (`members.value eq "id"`, `members eq`,
/// `members[value eq "id"]`, `groups.value eq`, `manager.value eq`): their DNs are what LDAP
/// holds, so the caller looks them up before translating.
std::vector<std::string> reference_filter_ids(const resource_profile& resource,
                                              const filter_node& filter);

/// Looked-up DNs by id in lower case; an id missing here names nothing, so it matches nothing.
using reference_dns = std::map<std::string, ldap::dn>;

/// The translation with its re-check requirement (see docs/filters.md for every form). RFC 4515
/// escaping for every value. A filter on an attribute the profile does not map, or in a form
/// LDAP cannot answer (substring on a non-string, password, references) → 400 invalidFilter
/// naming the attribute and position. With `references`, `eq`/`ne` on reference attributes
/// become `(member=<DN>)` and `pr` on members ignores the empty-group placeholder; without,
/// filtering on a reference is refused.
scim::result<translated_filter> translate_query_filter(const resource_profile& resource,
                                                       const filter_node& filter,
                                                       const reference_dns* references = nullptr);

/// The LDAP filter alone (exact where recheck is false; a superset otherwise).
scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter);

/// translate_filter with reference attributes translated through `references`.
scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter,
                                            const reference_dns& references);

}  // namespace scimldap::mapping
