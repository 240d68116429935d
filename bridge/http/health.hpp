// The probes outside auth and the SCIM base path: /healthz (alive) and /readyz (LDAP connected).
#pragma once

#include "bridge/scim/http_message.hpp"

#include <functional>
#include <optional>

namespace scimldap::http {

/// The probe's response when req targets /healthz or /readyz; nullopt for any other target.
/// ready() says whether the LDAP client has a bound connection.
std::optional<scim::http_response> health_response(const scim::http_request& req,
                                                   const std::function<bool()>& ready);

}  // namespace scimldap::http
