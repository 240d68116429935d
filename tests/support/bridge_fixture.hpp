// The bridge in-process for integration tests: config with hashed tokens for two tenants, the
// server on a free port on its own threads, and a tiny synchronous HTTP client.
#pragma once

#include "bridge/cli/service.hpp"
#include "bridge/scim/router.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace scimldap::testing {

class slapd_launcher;

/// One response as the test client saw it.
struct http_reply {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // names lowercased
    std::string body;

    /// The header's value, or "" when absent (name matched case-insensitively).
    std::string header(const std::string& name) const;
    /// The body parsed as JSON (throws when it is not JSON).
    boost::json::value json() const;
};

/// One request on a fresh connection to 127.0.0.1:port; throws when the connection fails.
/// Socket timeouts keep a broken server from hanging a test.
http_reply http_request(std::uint16_t port, boost::beast::http::verb method,
                        const std::string& target,
                        const std::map<std::string, std::string>& headers = {},
                        const std::string& body = {});

/// The same over TLS (certificates are not verified: tests use throwaway self-signed ones).
http_reply https_request(std::uint16_t port, boost::beast::http::verb method,
                         const std::string& target,
                         const std::map<std::string, std::string>& headers = {},
                         const std::string& body = {});

/// True when a TCP connection to 127.0.0.1:port is refused (nothing listening).
bool connection_refused(std::uint16_t port);

/// Polls pred until it holds or timeout passes; true when it held.
bool eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// A certificate and its key, as files (listen.tls).
struct tls_files {
    std::string cert_file;
    std::string key_file;
};

/// What the fixture's config may change; unset: the service's defaults.
struct bridge_options {
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::milliseconds shutdown_grace{10'000};
    /// Non-empty: the default tenant's profile (a shipped name or a .json path) instead of
    /// openldap-inetorgperson, e.g. a copy with another delete mode.
    std::string default_profile;
    /// Non-empty: the default tenant's archive_base (needed by a profile that archives).
    std::string default_archive_base;
    std::optional<std::size_t> max_connections;
    std::optional<std::chrono::milliseconds> header_timeout;
    std::optional<std::chrono::milliseconds> idle_timeout;
    std::optional<std::chrono::milliseconds> request_timeout;
    std::optional<tls_files> tls;  // the fixture then talks HTTPS
    /// Keys that replace or join those of the config's "ldap" object (uris, tls, ca_file...);
    /// a null value removes the key.
    boost::json::object ldap;
    /// Changes the config JSON before it is written (more tokens, an "oauth" section).
    std::function<void(boost::json::object&)> edit_config;
};

/// A throwaway self-signed certificate for 127.0.0.1 (openssl CLI), written into dir.
tls_files make_self_signed_certificate(const std::string& dir);

/// A copy of the shipped profile openldap-inetorgperson named `name`, changed by `edit`, written
/// into dir; the file's path, for bridge_options::default_profile.
std::string write_profile_copy(const std::string& dir, const std::string& name,
                               const std::function<void(boost::json::value& profile)>& edit);

/// The config the fixture uses, as JSON text: tenants "default" and "classlark" (seed.ldif's
/// subtrees, shipped profiles by name), one token each (stored as SHA-256).
std::string bridge_config_json(const std::string& ldap_uri, const std::string& password_file,
                               const bridge_options& options = {});

/// A bridge served from a config file it writes next to slapd's data.
class bridge_fixture {
public:
    static constexpr const char* default_token = "default-tenant-test-token";
    static constexpr const char* classlark_token = "classlark-tenant-test-token";

    explicit bridge_fixture(const slapd_launcher& slapd, bridge_options options = {});
    ~bridge_fixture();
    bridge_fixture(const bridge_fixture&) = delete;
    bridge_fixture& operator=(const bridge_fixture&) = delete;

    /// Where tests register their own routes; only before start().
    scim::router& routes() { return service_->routes(); }

    /// Starts the service (port 0: the kernel picks a free one) and waits until /readyz is 200
    /// (unless told not to: tests of a directory the bridge cannot reach).
    void start(bool wait_until_ready = true);
    /// Begins a graceful shutdown (like SIGTERM) without waiting.
    void request_shutdown();
    /// Waits until the service has shut down and its threads have exited.
    void wait_stopped();

    std::uint16_t port() const { return service_->port(); }
    /// The metrics listener's port (config "metrics.listen"); 0 without one.
    std::uint16_t metrics_port() const { return service_->metrics_port(); }
    /// Open client connections the server holds right now (within the cap or being refused).
    std::size_t connections() const { return service_->connections(); }
    const std::string& config_file() const { return config_file_; }

    /// A request with "Authorization: Bearer <token>" (no header when token is empty).
    http_reply request(boost::beast::http::verb method, const std::string& target,
                       const std::string& token = default_token, const std::string& body = {},
                       const std::string& content_type = "application/scim+json") const;

private:
    http_reply send(boost::beast::http::verb method, const std::string& target,
                    const std::map<std::string, std::string>& headers,
                    const std::string& body) const;

    bool tls_ = false;
    std::string config_file_;
    std::unique_ptr<cli::service> service_;
};

}  // namespace scimldap::testing
