// The /Groups endpoint (RFC 7644 §3.3-3.6) on groupOfNames: create, read, list and .search,
// replace, PATCH with value-level member changes, delete; the same for a further resource type
// with members.
#pragma once

#include "bridge/ldap/operations.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/router.hpp"

namespace scimldap::scim {

/// Registers GET/POST /Groups, POST /Groups/.search and GET/PUT/PATCH/DELETE /Groups/{id}.
void register_group_routes(router& routes, ldap::operations& client, endpoint_settings settings);

/// The same routes at `endpoint` for resource type `type`, a further type with a `members`
/// section: member changes at the value level and the placeholder, as Groups have.
void register_member_routes(router& routes, ldap::operations& client, endpoint_settings settings,
                            const std::string& type, const std::string& endpoint);

}  // namespace scimldap::scim
