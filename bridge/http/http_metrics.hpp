// The HTTP side's Prometheus metrics: requests by tenant, method, route and status, their
// latency, and requests in flight (docs/operations.md, "Metrics").
#pragma once

#include "bridge/http/exchange.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <string_view>

namespace scimldap::http {

/// One request answered. The endpoint label is the route pattern ("/Users/{id}"), never the
/// path, so ids do not make new series; the method label is "OTHER" for a method HTTP does not
/// define.
void record_request(const exchange_info& info, boost::beast::http::verb method, unsigned status,
                    std::chrono::steady_clock::duration took);

/// Counts a request in `scimldap_http_in_flight` while it exists.
class in_flight_request {
public:
    in_flight_request();
    ~in_flight_request();
    in_flight_request(const in_flight_request&) = delete;
    in_flight_request& operator=(const in_flight_request&) = delete;
};

}  // namespace scimldap::http
