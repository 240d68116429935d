#include "bridge/cli/logging_setup.hpp"

#include "bridge/http/access_log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace scimldap::cli {

namespace {

// %j: the message as a JSON string literal (quotes and escapes included).
class json_message_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const std::string quoted = boost::json::serialize(
            boost::json::string(std::string_view(msg.payload.data(), msg.payload.size())));
        dest.append(quoted.data(), quoted.data() + quoted.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<json_message_flag>();
    }
};

constexpr const char* json_head = R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n",)";

/// access: the logger writes its own JSON fields (the access and the audit log).
std::unique_ptr<spdlog::formatter> make_formatter(bool json, bool access) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    std::string pattern = json_head;  // appended, not operator+: GCC 12 -Warray-bounds
    if (!json) {
        f->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l [%n] %v");
    } else if (access) {
        // The access and audit logs write their own "key":value fields (bridge/http).
        f->set_pattern(pattern.append("%v}"));
    } else {
        f->add_flag<json_message_flag>('j').set_pattern(pattern.append(R"("msg":%j})"));
    }
    return f;
}

// The loggers setup_logging installed (before any other thread runs), for set_log_level.
std::shared_ptr<spdlog::logger>& access_logger_installed() {
    static std::shared_ptr<spdlog::logger> logger;
    return logger;
}
std::shared_ptr<spdlog::logger>& audit_logger_installed() {
    static std::shared_ptr<spdlog::logger> logger;
    return logger;
}

}  // namespace

void setup_logging(const mapping::logging_settings& settings) {
    const bool json = settings.format == "json";
    // One sink each: a sink has one formatter, and the two loggers format differently.
    auto main_logger = std::make_shared<spdlog::logger>(
        "scim-ldap-bridge", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto access_logger = std::make_shared<spdlog::logger>(
        "access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto audit = std::make_shared<spdlog::logger>(
        "audit", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    const spdlog::level::level_enum level = spdlog::level::from_str(settings.level);
    for (const auto& logger : {main_logger, access_logger}) {
        logger->set_level(level);
        logger->flush_on(spdlog::level::info);
    }
    // Audit lines are written at info; a level of warn for the service's own messages must not
    // silence them.
    audit->set_level(spdlog::level::info);
    audit->flush_on(spdlog::level::info);
    main_logger->set_formatter(make_formatter(json, false));
    access_logger->set_formatter(make_formatter(json, true));
    audit->set_formatter(make_formatter(json, true));
    spdlog::set_default_logger(main_logger);
    http::configure_access_log(access_logger, json);
    access_logger_installed() = access_logger;
    audit_logger_installed() = audit;
}

std::shared_ptr<spdlog::logger> audit_logger() {
    if (const auto& installed = audit_logger_installed()) {
        return installed;
    }
    const auto fallback = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>("audit", fallback->sinks().begin(),
                                                   fallback->sinks().end());
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    return logger;
}

void set_log_level(const std::string& level) {
    const spdlog::level::level_enum value = spdlog::level::from_str(level);
    spdlog::default_logger_raw()->set_level(value);
    if (const auto& access = access_logger_installed()) {
        access->set_level(value);
    }
}

}  // namespace scimldap::cli
