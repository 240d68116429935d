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
    auto who = authenticator_.authenticate(req[boost::beast::http::field::authorization]);
    if (const auto* why = std::get_if<auth::failure>(&who)) {
        co_return auth::unauthorized_response(*why);
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
