#include "bridge/http/access_log.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include <mutex>

namespace scimldap::http {

namespace {

struct access_sink {
    std::mutex mutex;
    std::shared_ptr<spdlog::logger> logger;
    bool json = false;
};

access_sink& sink() {
    static access_sink s;
    return s;
}

double milliseconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

void configure_access_log(std::shared_ptr<spdlog::logger> logger, bool json) {
    access_sink& s = sink();
    const std::lock_guard lock(s.mutex);
    s.logger = std::move(logger);
    s.json = json;
}

std::string format_access(const access_record& r, bool json) {
    const double ms = milliseconds(r.elapsed);
    if (!json) {
        return fmt::format("access id={} tenant={} token={} {} {} status={} {:.1f}ms ldap_ops={}",
                           r.info.request_id, r.info.tenant, r.info.token_name, r.method, r.target,
                           r.status, ms, r.info.ldap_ops);
    }
    boost::json::object o;
    o["request_id"] = r.info.request_id;
    o["tenant"] = r.info.tenant;
    o["token"] = r.info.token_name;
    o["method"] = r.method;
    o["target"] = r.target;
    o["status"] = r.status;
    o["ldap_ops"] = r.info.ldap_ops;
    std::string text = boost::json::serialize(o);
    // The logger's JSON pattern supplies the braces around time, level and these fields.
    // duration_ms is written by hand: boost::json prints doubles in exponent form ("3E-1").
    return text.substr(1, text.size() - 2) + fmt::format(",\"duration_ms\":{:.1f}", ms);
}

void log_access(const access_record& r) {
    std::shared_ptr<spdlog::logger> logger;
    bool json = false;
    {
        access_sink& s = sink();
        const std::lock_guard lock(s.mutex);
        logger = s.logger;
        json = s.json;
    }
    if (!logger) {
        logger = spdlog::default_logger();
    }
    if (logger->should_log(spdlog::level::info)) {  // formatting is most of the cost
        logger->info("{}", format_access(r, json));
    }
}

}  // namespace scimldap::http
