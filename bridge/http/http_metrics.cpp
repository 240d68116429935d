#include "bridge/http/http_metrics.hpp"

#include "base/metrics.hpp"

#include <charconv>

namespace scimldap::http {
namespace {

struct families {
    metrics::family<metrics::counter>& requests;
    metrics::family<metrics::histogram>& durations;
    metrics::gauge& in_flight;
};

families& http_families() {
    auto& r = metrics::registry::global();
    static families f{
        r.counters("scimldap_http_requests_total",
                   "HTTP requests answered, by tenant, method, route and status",
                   {"tenant", "method", "endpoint", "status"}),
        r.histograms("scimldap_http_request_duration_seconds",
                     "Time from a request's first byte to its response written",
                     {"tenant", "method", "endpoint"}),
        r.gauges("scimldap_http_in_flight", "Requests being handled right now").with({}),
    };
    return f;
}

std::string_view method_label(boost::beast::http::verb method) {
    return method == boost::beast::http::verb::unknown
               ? std::string_view("OTHER")
               : std::string_view(boost::beast::http::to_string(method));
}

}  // namespace

void record_request(const exchange_info& info, boost::beast::http::verb method, unsigned status,
                    std::chrono::steady_clock::duration took) {
    auto& f = http_families();
    const std::string_view endpoint =
        info.endpoint.empty() ? std::string_view("unrouted") : std::string_view(info.endpoint);
    const std::string_view verb = method_label(method);
    char code[8];
    const auto end = std::to_chars(code, code + sizeof code, status).ptr;
    f.requests
        .with({info.tenant, verb, endpoint,
               std::string_view(code, static_cast<std::size_t>(end - code))})
        .inc();
    f.durations.with({info.tenant, verb, endpoint})
        .observe(std::chrono::duration<double>(took).count());
}

in_flight_request::in_flight_request() {
    http_families().in_flight.add(1);
}

in_flight_request::~in_flight_request() {
    http_families().in_flight.add(-1);
}

}  // namespace scimldap::http
