// The real daemon, `scim-ldap-bridge serve`, as a child process: what systemd runs, signals
// (SIGHUP reload, SIGTERM) and config file included.
#pragma once

#include "tests/support/bridge_fixture.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace scimldap::testing {

class bridge_process {
public:
    /// binary: the built scim-ldap-bridge. The config file and the log live in dir (which the
    /// caller owns); the listener is put on a free port with --listen. tls: talk HTTPS.
    bridge_process(std::string binary, std::string dir, bool tls = false);
    /// SIGTERM and wait (SIGKILL if it does not stop).
    ~bridge_process();
    bridge_process(const bridge_process&) = delete;
    bridge_process& operator=(const bridge_process&) = delete;

    /// Writes the config file (mode 0600); a running bridge reads it at the next reload().
    void write_config(const std::string& json_text) const;
    /// Starts the daemon and waits until /readyz is 200; throws with the log when it does not.
    void start();
    /// SIGHUP, as systemd's ExecReload sends it.
    void reload() const;
    /// True once the log holds text (polled; false after timeout).
    bool log_shows(const std::string& text,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
    std::string log() const;

    /// A request on a new connection, with "Authorization: Bearer <token>" when token is set
    /// and a SCIM JSON body when body is.
    http_reply request(boost::beast::http::verb method, const std::string& target,
                       const std::string& token = {}, const std::string& body = {}) const;

    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    std::string config_file() const { return dir_ + "/config.json"; }
    std::string log_file() const { return dir_ + "/bridge.log"; }

private:
    std::string binary_;
    std::string dir_;
    bool tls_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace scimldap::testing
