#include "bridge/http/metrics_endpoint.hpp"

#include "base/metrics.hpp"
#include "bridge/auth/authenticator.hpp"
#include "bridge/auth/authorization_header.hpp"
#include "bridge/auth/token_hash.hpp"
#include "bridge/scim/error_response.hpp"

namespace scimldap::http {
namespace bhttp = boost::beast::http;

bool is_metrics_target(std::string_view target) {
    return target.substr(0, target.find('?')) == "/metrics";
}

scim::http_response metrics_response(const scim::http_request& req, std::string_view token_sha256) {
    if (!token_sha256.empty()) {
        const auto token = auth::credentials_for(req[bhttp::field::authorization], "Bearer");
        if (!token) {
            return auth::unauthorized_response(auth::failure::missing_credentials);
        }
        if (!auth::constant_time_equal(auth::hash_token(*token), token_sha256)) {
            return auth::unauthorized_response(auth::failure::invalid_token);
        }
    }
    if (req.method() != bhttp::verb::get) {
        scim::http_response res =
            scim::error_response({scim::errc::method_not_allowed, "/metrics answers GET only"});
        res.set(bhttp::field::allow, "GET");
        return res;
    }
    scim::http_response res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = metrics::registry::global().expose();
    return res;
}

}  // namespace scimldap::http
