#include "bridge/http/application.hpp"

#include "bridge/http/health.hpp"

namespace scimldap::http {

application::application(const auth::authenticator& authenticator, const scim::router& routes,
                         std::function<readiness()> ready)
    : authenticator_(authenticator), routes_(routes), ready_(std::move(ready)) {}

boost::asio::awaitable<scim::http_response> application::operator()(const scim::http_request& req,
                                                                    exchange_info& info) const {
    if (auto probe = health_response(req, ready_)) {
        co_return std::move(*probe);
    }
    // The token endpoint authenticates the client itself (RFC 6749 §2.3), before bearer auth.
    if (const auth::token_endpoint* oauth = authenticator_.oauth();
        oauth != nullptr && auth::is_token_endpoint_target(req.target(), routes_.base_path())) {
        auto issued = oauth->respond(
            req, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
        if (!issued.client_name.empty()) {
            info.tenant = issued.tenant;
            info.token_name = issued.client_name;
        }
        co_return std::move(issued.response);
    }
    auto who = authenticator_.authenticate(req[boost::beast::http::field::authorization]);
    if (const auto* no = std::get_if<auth::refusal>(&who)) {
        if (!no->token_name.empty()) {
            info.token_name = no->token_name;  // which token expired, in the access log
        }
        co_return auth::unauthorized_response(no->why);
    }
    const auth::identity& id = std::get<auth::identity>(who);
    info.tenant = id.tenant->name;
    info.token_name = id.token_name;
    co_return co_await routes_.dispatch(req, *id.tenant, info.ldap_ops);
}

request_handler application::handler() const {
    return
        [this](const scim::http_request& req, exchange_info& info) { return (*this)(req, info); };
}

}  // namespace scimldap::http
