// Runs one request through a router to its response on a private io_context, without a socket:
// how unit tests call SCIM endpoints.
#pragma once

#include "bridge/scim/router.hpp"

namespace scimldap::testing {

/// The router's answer to `request` for `tenant`; `ldap_ops` receives the handler's count.
scim::http_response call_route(const scim::router& routes, const scim::http_request& request,
                               const scim::tenant_view& tenant, std::size_t* ldap_ops = nullptr);

}  // namespace scimldap::testing
