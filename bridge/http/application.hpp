// The request pipeline behind every connection: probes, the OAuth token endpoint, then bearer
// auth, then the SCIM router.
#pragma once

#include "bridge/auth/authenticator.hpp"
#include "bridge/http/exchange.hpp"
#include "bridge/http/health.hpp"
#include "bridge/scim/router.hpp"

#include <functional>

namespace scimldap::http {

/// Applies authorisation once, so a handler only ever sees its tenant's view.
class application {
public:
    /// ready() reports LDAP connectivity (and why it is missing) for /readyz. All three must
    /// outlive the application.
    application(const auth::authenticator& authenticator, const scim::router& routes,
                std::function<readiness()> ready);

    boost::asio::awaitable<scim::http_response> operator()(const scim::http_request& req,
                                                           exchange_info& info) const;

    /// This application as the session's callback.
    request_handler handler() const;

private:
    const auth::authenticator& authenticator_;
    const scim::router& routes_;
    std::function<readiness()> ready_;
};

}  // namespace scimldap::http
