// One access-log line per request, as text or as JSON fields (config.logging.format).
#pragma once

#include "bridge/http/exchange.hpp"

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace scimldap::http {

/// Everything one access-log line says. Never the Authorization header or a body.
struct access_record {
    const exchange_info& info;
    std::string_view method;
    std::string_view target;
    unsigned status;
    std::chrono::steady_clock::duration elapsed;
};

/// Where access lines go and in which form; json=true writes `"key":value,...` fields that the
/// logger's JSON pattern wraps in braces. Until called, lines go to the default logger as text.
void configure_access_log(std::shared_ptr<spdlog::logger> logger, bool json);

/// The line for one record (exposed for tests).
std::string format_access(const access_record& r, bool json);

void log_access(const access_record& r);

}  // namespace scimldap::http
