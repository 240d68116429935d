#include "bridge/http/audit_log.hpp"

#include "base/metrics.hpp"
#include "base/utf8.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace scimldap::http {

namespace {

metrics::family<metrics::counter>& lines() {
    static auto& f = metrics::registry::global().counters(
        "scimldap_audit_lines_total", "Audit log lines by whether they were written", {"result"});
    return f;
}

int open_append(const std::string& path) {
    return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

/// UTC with milliseconds: "2026-12-07T05:00:00.123Z".
std::string utc_text(std::chrono::system_clock::time_point t) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - seconds).count();
    const std::time_t whole = std::chrono::system_clock::to_time_t(seconds);
    std::tm utc{};
    ::gmtime_r(&whole, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms);
}

std::string_view or_null_text(std::string_view s) {
    return s.empty() || s == "-" ? std::string_view() : s;
}

}  // namespace

std::string format_audit(const audit_record& r, const scim::audit_trail& trail) {
    namespace json = boost::json;
    json::object o;
    o["time"] = utc_text(r.time);
    o["request_id"] = r.info.request_id;
    o["tenant"] = r.info.tenant;
    o["token"] = r.info.token_name;  // the token's name from the config, never the token
    o["client"] = r.client;
    // JSON text must be UTF-8; a header that is not is left out rather than mangled.
    if (!r.forwarded_for.empty() && ldap::is_utf8(r.forwarded_for)) {
        o["forwarded_for"] = r.forwarded_for;
    }
    o["method"] = r.method;
    o["endpoint"] = or_null_text(r.info.endpoint);
    o["status"] = r.status;
    trail.append_json(o);  // a bulk operation's method, endpoint and status replace the above
    return json::serialize(o);
}

std::shared_ptr<audit_log> audit_log::to_file(const std::string& path) {
    std::shared_ptr<audit_log> log(new audit_log());
    log->path_ = path;
    log->fd_ = open_append(path);
    if (log->fd_ < 0) {
        throw std::runtime_error("cannot open the audit log " + path + ": " + std::strerror(errno));
    }
    lines().with({"written"});  // listed at zero from the first scrape
    lines().with({"failed"});
    return log;
}

std::shared_ptr<audit_log> audit_log::to_logger(std::shared_ptr<spdlog::logger> logger, bool json) {
    std::shared_ptr<audit_log> log(new audit_log());
    log->logger_ = std::move(logger);
    log->json_ = json;
    lines().with({"written"});
    lines().with({"failed"});
    return log;
}

audit_log::~audit_log() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void audit_log::write(const audit_record& r) const {
    const auto& parts = r.info.audit.parts();
    if (parts.empty()) {
        write_one(r, r.info.audit);
        return;
    }
    for (const auto& part : parts) {
        write_one(r, part);
    }
}

void audit_log::write_one(const audit_record& r, const scim::audit_trail& trail) const {
    std::string line = format_audit(r, trail);
    if (logger_) {
        // The JSON pattern supplies the braces (and ts, level, logger) around the fields.
        logger_->info("{}", json_ ? std::string_view(line).substr(1, line.size() - 2)
                                  : std::string_view(line));
        lines().with({"written"}).inc();
        return;
    }
    line.push_back('\n');
    write_line(std::move(line));
}

void audit_log::write_line(std::string line) const {
    const std::lock_guard lock(mutex_);
    std::string_view rest(line);
    while (!rest.empty()) {
        const ssize_t n = ::write(fd_, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            failed(n < 0 ? std::strerror(errno) : "nothing written");
            if (rest.size() < line.size()) {
                // Ends the part that got out, so the next line is not glued to it.
                [[maybe_unused]] const ssize_t ignored = ::write(fd_, "\n", 1);
            }
            return;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (failing_) {
        failing_ = false;
        spdlog::warn("audit log {}: writing again", path_);
    }
    lines().with({"written"}).inc();
}

void audit_log::failed(std::string_view why) const {
    lines().with({"failed"}).inc();
    // Logged when it starts failing, not for every line: a full disk would flood the log too.
    if (!failing_) {
        failing_ = true;
        spdlog::error(
            "audit log {}: cannot write ({}); the directory changes go on, their audit lines "
            "are lost until it can (scimldap_audit_lines_total{{result=\"failed\"}})",
            path_, why);
    }
}

void audit_log::reopen() const {
    if (path_.empty()) {
        return;
    }
    const int fd = open_append(path_);
    if (fd < 0) {
        spdlog::error("audit log {}: cannot reopen ({}); still writing to the old file", path_,
                      std::strerror(errno));
        return;
    }
    const std::lock_guard lock(mutex_);
    ::close(fd_);
    fd_ = fd;
    spdlog::info("audit log {}: reopened", path_);
}

}  // namespace scimldap::http
