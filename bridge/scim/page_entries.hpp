// What index pages (list_query.cpp) and cursor pages (cursor_pages.cpp) share: the query's
// searches with its re-check, and the read of a page's entries by id.
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/search_plan.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

#include <map>
#include <string>
#include <vector>

namespace scimldap::scim {

/// The query's searches, and the SCIM filter to re-check entries with when LDAP's answer is a
/// superset.
struct selection {
    search_plan plan;
    const mapping::filter_node* recheck = nullptr;
    /// The ids the filter compares reference attributes with, by normalised DN, so the
    /// re-check sees them; other DNs render as a reference with no id (present, equal to none).
    std::map<std::string, mapping::resolved_reference> referenced;
};

/// Whether the entry's SCIM view matches the filter (only the attributes the filter names were
/// read; references are not resolved: they cannot be filtered on).
bool passes(const mapping::resource_profile& resource, const selection& sel, const ldap::entry& e);

/// How the entries of a page are read: the attributes, the references to resolve, and the
/// limits a group read with its members takes a turn from and is counted against.
struct page_reading {
    const mapping::resource_profile& resource;
    const selection& sel;
    std::vector<const mapping::attribute_mapping*> references;
    const read_limits& limits;
};

/// The page's entries by id, in the order of `ids`; an id whose entry is gone is skipped.
boost::asio::awaitable<result<std::vector<found_entry>>> read_entries(
    directory& dir, const page_reading& how, const std::vector<std::string>& ids);

}  // namespace scimldap::scim
