// The /Groups endpoint (RFC 7644 §3.3-3.6) on groupOfNames: create, read, list and .search,
// replace, PATCH with value-level member changes, delete.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"

namespace scimldap::scim {

/// Registers GET/POST /Groups, POST /Groups/.search and GET/PUT/PATCH/DELETE /Groups/{id}.
void register_group_routes(router& routes, ldap::operations& client, endpoint_settings settings);

}  // namespace scimldap::scim
