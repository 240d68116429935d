// The /Users endpoint (RFC 7644 §3.3-3.6): create, read, list by filter, replace, delete.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"

namespace scimldap::scim {

/// Registers GET/POST /Users, POST /Users/.search and GET/PUT/PATCH/DELETE /Users/{id}.
void register_user_routes(router& routes, ldap::operations& client, endpoint_settings settings);

}  // namespace scimldap::scim
