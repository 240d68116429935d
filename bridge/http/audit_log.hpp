// The audit log: one JSON line per write request (what it changed in the directory, or why it
// changed nothing), to its own file or to a logger named "audit".
#pragma once

#include "bridge/http/exchange.hpp"

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace scimldap::http {

/// Everything one audit line says besides the request's trail (info.audit).
struct audit_record {
    const exchange_info& info;
    std::string_view method;
    std::string_view forwarded_for;  // X-Forwarded-For as received (empty: none)
    std::string_view client;         // the TCP peer's address
    unsigned status;
    std::chrono::system_clock::time_point time;
};

/// The line for one record and one trail (the request's, or a bulk operation's), a JSON object
/// (exposed for tests).
std::string format_audit(const audit_record& r, const scim::audit_trail& trail);

/// Where audit lines go. Thread-safe. A line that cannot be written is counted
/// (scimldap_audit_lines_total{result="failed"}) and logged; the write it describes stands.
class audit_log {
public:
    /// Appends to the file at `path`, creating it (mode 0640). Throws std::runtime_error when it
    /// cannot be opened.
    static std::shared_ptr<audit_log> to_file(const std::string& path);
    /// Writes through `logger`; json: as fields the logger's JSON pattern wraps in braces.
    static std::shared_ptr<audit_log> to_logger(std::shared_ptr<spdlog::logger> logger, bool json);

    ~audit_log();
    audit_log(const audit_log&) = delete;
    audit_log& operator=(const audit_log&) = delete;

    /// The request's line, or one line per operation of a bulk request.
    void write(const audit_record& r) const;
    /// Opens the file again by its path (logrotate moved it away); the old descriptor is closed.
    /// On failure the old one is kept and the reason logged. Nothing to do for a logger.
    void reopen() const;
    /// The file written to; empty for a logger.
    const std::string& path() const { return path_; }

private:
    audit_log() = default;
    void write_one(const audit_record& r, const scim::audit_trail& trail) const;
    void write_line(std::string line) const;
    void failed(std::string_view why) const;

    std::string path_;
    mutable std::mutex mutex_;  // guards fd_ (a reopen swaps it) and the failure state
    mutable int fd_ = -1;
    mutable bool failing_ = false;
    std::shared_ptr<spdlog::logger> logger_;
    bool json_ = false;
};

}  // namespace scimldap::http
