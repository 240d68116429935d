// The probes outside auth and the SCIM base path: /healthz (alive) and /readyz (LDAP connected).
#pragma once

#include "bridge/scim/http_message.hpp"

#include <functional>
#include <optional>
#include <string>

namespace scimldap::http {

/// What /readyz reports: whether the LDAP client has a bound connection, and if not why (the
/// last connection failure, naming the server).
struct readiness {
    bool ready = false;
    std::string detail;
    std::string ldap_target;  // the one of ldap.uris the bridge reads and writes now
};

/// The probe's response when req targets /healthz or /readyz; nullopt for any other target.
std::optional<scim::http_response> health_response(const scim::http_request& req,
                                                   const std::function<readiness()>& probe);

}  // namespace scimldap::http
