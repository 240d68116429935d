#include "bridge/http/health.hpp"

#include <boost/json/serialize.hpp>

namespace scimldap::http {

namespace bhttp = boost::beast::http;

namespace {

// Probes answer quickly and without a directory round trip; they come back soon.
constexpr const char* probe_retry_after_seconds = "1";

scim::http_response probe_response(bhttp::status status, const boost::json::object& body) {
    scim::http_response res{status, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::cache_control, "no-store");
    res.body() = boost::json::serialize(body);
    return res;
}

}  // namespace

std::optional<scim::http_response> health_response(const scim::http_request& req,
                                                   const std::function<readiness()>& probe) {
    const std::string_view target = req.target();
    const std::string_view path = target.substr(0, target.find('?'));
    if (path != "/healthz" && path != "/readyz") {
        return std::nullopt;
    }
    if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
        scim::http_response res = probe_response(bhttp::status::method_not_allowed,
                                                 {{"status", "error"}, {"detail", "use GET"}});
        res.set(bhttp::field::allow, "GET, HEAD");
        return res;
    }
    if (path == "/healthz") {
        return probe_response(bhttp::status::ok, {{"status", "ok"}});
    }
    const readiness state = probe();
    if (state.ready) {
        boost::json::object body{{"status", "ready"}};
        if (!state.ldap_target.empty()) {
            body["ldap"] = state.ldap_target;
        }
        return probe_response(bhttp::status::ok, body);
    }
    std::string detail = "no connection to the LDAP directory";
    if (!state.detail.empty()) {
        detail += ": " + state.detail;
    }
    scim::http_response res = probe_response(bhttp::status::service_unavailable,
                                             {{"status", "unavailable"}, {"detail", detail}});
    res.set(bhttp::field::retry_after, probe_retry_after_seconds);
    return res;
}

}  // namespace scimldap::http
