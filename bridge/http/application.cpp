#include "bridge/http/application.hpp"

#include "bridge/http/health.hpp"
#include "bridge/http/metrics_endpoint.hpp"
#include "bridge/scim/error_response.hpp"

namespace scimldap::http {

namespace {

bool may_write(boost::beast::http::verb method) {
    using boost::beast::http::verb;
    return method == verb::post || method == verb::put || method == verb::patch ||
           method == verb::delete_;
}

/// Copies what dispatch reported into the exchange when the request's frame ends, however.
struct report_on_exit {
    const scim::dispatch_report& report;
    exchange_info& info;
    report_on_exit(const scim::dispatch_report& r, exchange_info& i) : report(r), info(i) {}
    report_on_exit(const report_on_exit&) = delete;
    report_on_exit& operator=(const report_on_exit&) = delete;
    ~report_on_exit() {
        info.ldap_ops = report.ldap_ops;
        info.endpoint = report.route;
    }
};

}  // namespace

application::application(const pipeline_slot& current) : current_(current) {}

boost::asio::awaitable<scim::http_response> application::operator()(const scim::http_request& req,
                                                                    exchange_info& info) const {
    // Held in this frame until the response exists: the request finishes on the generation it
    // started with, even if a reload publishes another meanwhile.
    const std::shared_ptr<const pipeline> with = current_.load();
    if (auto probe = health_response(req, with->ready)) {
        const std::string_view target = req.target();
        info.endpoint = target.substr(0, target.find('?'));  // /healthz or /readyz
        co_return std::move(*probe);
    }
    // The metrics token is checked by the scrape itself: SCIM tokens never open it.
    if (!with->metrics_token_sha256.empty() && is_metrics_target(req.target())) {
        info.endpoint = "/metrics";
        co_return metrics_response(req, with->metrics_token_sha256);
    }
    // The token endpoint authenticates the client itself (RFC 6749 §2.3), before bearer auth.
    if (const auth::token_endpoint* oauth = with->authenticator.oauth();
        oauth != nullptr &&
        auth::is_token_endpoint_target(req.target(), with->routes.base_path())) {
        info.endpoint = auth::token_endpoint_path;
        auto issued = oauth->respond(
            req, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
        if (!issued.client_name.empty()) {
            info.tenant = issued.tenant;
            info.token_name = issued.client_name;
            info.authenticated = true;
        }
        co_return std::move(issued.response);
    }
    auto who = with->authenticator.authenticate(req[boost::beast::http::field::authorization]);
    if (const auto* no = std::get_if<auth::refusal>(&who)) {
        if (!no->token_name.empty()) {
            info.token_name = no->token_name;  // which token expired, in the access log
        }
        co_return auth::unauthorized_response(no->why);
    }
    const auth::identity& id = std::get<auth::identity>(who);
    info.tenant = id.tenant->name;
    info.token_name = id.token_name;
    info.authenticated = true;
    // Before routing, so a tenant over its limit costs the directory nothing.
    auto admitted = with->admission.admit(id.tenant->name);
    if (!admitted) {
        co_return scim::error_response(admitted.error());
    }
    const admission::ticket held = std::move(*admitted);
    scim::dispatch_report report;
    // Only a method that can write is audited: a lookup pays nothing for the audit log.
    if (with->audit && may_write(req.method())) {
        report.audit = &info.audit;
        info.audit_to = with->audit;
    }
    // Also when the handler throws or is cancelled at its deadline: the access and audit lines
    // of those requests name their route too.
    const report_on_exit reported{report, info};
    co_return co_await with->routes.dispatch(req, *id.tenant, report);
}

request_handler application::handler() const {
    return
        [this](const scim::http_request& req, exchange_info& info) { return (*this)(req, info); };
}

}  // namespace scimldap::http
