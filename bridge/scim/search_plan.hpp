// The LDAP searches a list request makes, decided in one place: list_query.cpp sends them,
// `explain --search` prints them.
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "bridge/scim/list_query.hpp"
#include "mapping/filter_translate.hpp"
#include "mapping/profile.hpp"
#include "mapping/projection.hpp"

#include <string>
#include <vector>

namespace scimldap::scim {

/// Results up to this size are answered by the first search (below slapd's default limit, 500).
constexpr int first_search_size_limit = 200;

/// Filter and attribute lists of one query's searches (docs/filters.md, "Paging").
struct search_plan {
    /// Every search is a subtree search of the resource type's base.
    ldap::scope scope = ldap::scope::sub;
    /// The resource's objectClass filter, ANDed with the SCIM filter's translation if any.
    ldap::filter filter;
    /// LDAP's answer is a superset: the SCIM filter is applied again to each returned entry.
    bool recheck = false;
    /// The attribute the order comes from: sortBy's, or the RDN's.
    std::string sort_attribute;
    /// The first search: the page's attributes (only the id for count=0), the sort key, and
    /// what the re-check reads. A result under the size limit is answered from it alone.
    std::vector<std::string> first_attributes;
    /// A larger result is walked for these only (id, sort key, re-check) ...
    std::vector<std::string> key_attributes;
    /// ... and then the page's entries are read by id with these.
    std::vector<std::string> page_attributes;
    /// Set when a group's members are asked for: the searches above leave them out, and each
    /// page entry is read by id on its own, counted against scim.max_members_inline before its
    /// members are resolved (docs/filters.md, "Paging").
    std::string members_apart;
};

/// The plan for `query` on `resource`. Reference ids in the filter (`members.value eq "id"`)
/// are looked up beforehand into `references`; without them such a filter is refused.
result<search_plan> plan_search(const mapping::resource_profile& resource, const list_query& query,
                                const mapping::projection& fields,
                                const mapping::reference_dns* references);

}  // namespace scimldap::scim
