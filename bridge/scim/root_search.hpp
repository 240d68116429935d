// POST /.search at the server root (RFC 7644 §3.4.3): one query over Users and Groups.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"

namespace scimldap::scim {

/// Registers POST /.search: the SearchRequest runs against Users, then Groups, and one page
/// is cut from the two answers laid end to end.
void register_root_search_route(router& routes, ldap::operations& client,
                                endpoint_settings settings);

}  // namespace scimldap::scim
