// The service configuration: one JSON file, validated before use (see docs/configuration.md).
#pragma once

#include "base/ldap_types.hpp"
#include "base/ldap_uri.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::mapping {

class profile;

struct tls_settings {
    std::string cert_file;
    std::string key_file;
};

struct listen_settings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::optional<tls_settings> tls;
};

struct http_settings {
    std::string base_path = "/scim/v2";
    std::size_t io_threads = 2;
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds request_timeout{30'000};
    std::size_t max_connections = 1024;
    std::chrono::milliseconds shutdown_grace{10'000};
};

struct ldap_settings {
    std::vector<std::string> uris;  // as configured; TLS per URI is in tls.per_uri
    std::string bind_dn;
    std::string password_file;  // the password itself never sits in the config
    bool sasl_external = false;
    std::size_t pool_size = 2;
    /// Operations outstanding toward the directory (sent or waiting for a connection) past
    /// which a new one is refused at once with 503, reads and writes counted apart.
    std::size_t max_pending_reads = 512;
    std::size_t max_pending_writes = 128;
    std::chrono::milliseconds operation_timeout{5'000};
    std::chrono::milliseconds connect_timeout{3'000};
    std::chrono::milliseconds reconnect_backoff_min{100};
    std::chrono::milliseconds reconnect_backoff_max{5'000};
    std::chrono::milliseconds probe_interval{5'000};  // 0: idle connections are not probed
    /// After a failover, how often the earlier URIs are tried again; 0: never.
    std::chrono::milliseconds failback_after{0};
    /// How long a write request waits, before it is answered, for another of `uris` to hold
    /// its changes (docs/scale-out.md); 0: it does not wait.
    std::chrono::milliseconds confirm_writes{0};
    /// Read-only replicas for reads (docs/scale-out.md); empty: every read goes to `uris`.
    std::vector<std::string> read_uris;
    /// After a write in a tenant, how long this bridge's reads of it stay on `uris`.
    std::chrono::milliseconds read_your_writes{5'000};
    ldap::tls_options tls;              // ca_file etc.: paths, read when the client starts
    bool allow_plaintext_bind = false;  // a simple bind in clear to another machine
    bool require_ldaps = false;         // "tls": "ldaps": every URI, overrides too, is ldaps://
};

/// A bearer token as kept in the config: its SHA-256 (hex) and the tenant it opens.
struct token_settings {
    std::string name;    // for logs: which token was used, never the token itself
    std::string sha256;  // lowercase hex of SHA-256(token)
    std::string tenant;
    /// The token is refused from this instant on (RFC 3339 in the config); none: no expiry.
    std::optional<std::chrono::sys_seconds> not_after = std::nullopt;
};

/// A key that signs or verifies OAuth access tokens (HMAC-SHA256).
struct signing_key_settings {
    std::string id;        // the JWT "kid": names the key without revealing it
    std::string key_file;  // may use ${CREDENTIALS_DIRECTORY}
    /// The file's bytes, read after loading (bridge/cli/signing_key_files); never in the JSON.
    std::string secret;
};

/// An OAuth 2.0 client allowed the client credentials grant (RFC 6749 §4.4) for one tenant.
struct oauth_client_settings {
    std::string client_id;
    std::string secret_sha256;  // lowercase hex of SHA-256(client secret)
    std::string tenant;
    std::string name;  // for logs and the access token's "sub"
};

/// OAuth 2.0 client credentials: present only when the config has an "oauth" section.
struct oauth_settings {
    std::chrono::milliseconds token_lifetime{std::chrono::minutes(60)};
    /// The first signs new access tokens; every one verifies (rotation with overlap).
    std::vector<signing_key_settings> signing_keys;
    std::vector<oauth_client_settings> clients;
};

/// What one tenant's callers may ask of the bridge (docs/configuration.md, "tenants[].limits");
/// 0: no limit. Over a limit a request gets 429 with Retry-After before anything is read.
struct tenant_limits {
    std::uint32_t requests_per_second = 0;  // token bucket refill rate
    std::uint32_t burst = 0;                // bucket size; 0 with a rate: the rate (1 s worth)
    std::uint32_t max_concurrent = 0;       // requests in flight at once
};

struct tenant_settings {
    std::string name;
    std::string profile;  // a shipped profile name or a path to a profile JSON file
    ldap::dn users_base;
    ldap::dn groups_base;
    ldap::dn roles_base;
    std::optional<ldap::dn> archive_base;  // where deleted users go when the profile archives
    /// RFC 7644 §3.5.2: a successful PATCH answers 200 with the resource, or 204 without a body
    /// when this is true and the client did not ask for attributes.
    bool patch_no_content = false;
    tenant_limits limits{};
};

/// SCIM protocol settings shared by every tenant.
struct scim_settings {
    int default_count = 100;  // page size when a query has no count
    int max_count = 1000;     // the most one page returns (advertised as filter.maxResults)
    /// Groups with more members answer 400 tooMany unless members are excluded.
    std::size_t max_members_inline = 10'000;
    /// Key walks (list results past the first search) running at once, in total and per
    /// tenant; a walk over either waits up to walk_queue_timeout, then gets 503.
    std::size_t max_walks = 4;
    std::size_t max_walks_per_tenant = 2;
    std::chrono::milliseconds walk_queue_timeout{10'000};
    /// POST /Bulk (RFC 7644 §3.7): at most this many operations (0: no Bulk, 501) and bytes
    /// (the smaller of this and http.max_body_bytes is what /ServiceProviderConfig advertises).
    std::size_t bulk_max_operations = 1000;
    std::size_t bulk_max_payload_bytes = 1024 * 1024;
    /// Cursor paging (RFC 9865): how long a nextCursor stays valid (cursorTimeout), and the
    /// file holding the key that signs cursors. Without a file each process draws a random key,
    /// so bridges behind one load balancer need the same file.
    std::chrono::milliseconds cursor_timeout{3'600'000};
    std::string cursor_key_file;  // may use ${CREDENTIALS_DIRECTORY}
    /// The file's bytes, read after loading (bridge/cli/signing_key_files); never in the JSON.
    std::string cursor_key;
};

/// Prometheus metrics (docs/operations.md, "Metrics"): on a listener of their own (no auth:
/// keep it on loopback or behind a firewall), and/or GET /metrics on the main port behind a
/// bearer token of their own. Never behind the SCIM tokens.
struct metrics_settings {
    std::optional<listen_settings> listen;  // host and port; no TLS
    std::string token_sha256;               // lowercase hex; empty: not on the main port
};

/// One JSON line per write request (docs/operations.md, "Audit log").
struct audit_settings {
    bool enabled = true;
    std::string file;  // absolute path; empty: stderr (journald) under the logger name "audit"
    friend bool operator==(const audit_settings&, const audit_settings&) = default;
};

struct logging_settings {
    std::string level = "info";   // trace, debug, info, warn, error, critical, off
    std::string format = "text";  // text or json
    audit_settings audit;
};

struct config {
    listen_settings listen;
    http_settings http;
    scim_settings scim;
    ldap_settings ldap;
    std::vector<tenant_settings> tenants;
    std::vector<token_settings> tokens;
    std::optional<oauth_settings> oauth;
    std::optional<metrics_settings> metrics;
    logging_settings logging;
    /// Loaded and validated profiles by the name tenants use.
    std::map<std::string, std::shared_ptr<const profile>> profiles;
};

}  // namespace scimldap::mapping
