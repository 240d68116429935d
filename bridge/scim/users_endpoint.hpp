// The /Users endpoint (RFC 7644 §3.3-3.6): create, read, list by filter, replace, delete; the
// same for a further resource type whose entries are written whole.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"

namespace scimldap::scim {

/// Registers GET/POST /Users, POST /Users/.search and GET/PUT/PATCH/DELETE /Users/{id}.
void register_user_routes(router& routes, ldap::operations& client, endpoint_settings settings);

/// The same routes at `endpoint` for resource type `type` (a further type without members):
/// its entries are written whole, with whatever its profile section adds, as Users' are.
void register_entry_routes(router& routes, ldap::operations& client, endpoint_settings settings,
                           const std::string& type, const std::string& endpoint);

}  // namespace scimldap::scim
