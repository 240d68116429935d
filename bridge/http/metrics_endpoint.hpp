// GET /metrics: the Prometheus text exposition of the process's metrics, on the metrics
// listener or on the main port behind the metrics token (docs/operations.md, "Metrics").
#pragma once

#include "bridge/scim/http_message.hpp"

#include <string_view>

namespace scimldap::http {

/// True when the target's path (query ignored) is /metrics.
bool is_metrics_target(std::string_view target);

/// The scrape's answer. With a non-empty `token_sha256` the request must carry that bearer token
/// (401 otherwise); with an empty one none is asked (the metrics listener). 405 for a method
/// other than GET.
scim::http_response metrics_response(const scim::http_request& req, std::string_view token_sha256);

}  // namespace scimldap::http
