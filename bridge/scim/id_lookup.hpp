// Resource ids → DNs for the writes and filters that hold DNs (group members, members.value
// filters): a few batched searches, never one per id.
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "bridge/scim/directory.hpp"

#include <boost/asio/awaitable.hpp>

#include <map>
#include <string>
#include <vector>

namespace scimldap::scim {

/// The DN of each id that names a resource of one of `types` ("User", "Group") in this tenant,
/// keyed by the id in lower case; ids that name nothing (or are malformed) are left out.
boost::asio::awaitable<result<std::map<std::string, ldap::dn>>> find_dns_by_id(
    directory& dir, const std::vector<std::string>& types, const std::vector<std::string>& ids);

}  // namespace scimldap::scim
