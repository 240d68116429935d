#include "mapping/config_loader.hpp"

#include "base/ascii_case.hpp"
#include "mapping/config_checks.hpp"
#include "mapping/json_reader.hpp"
#include "mapping/ldap_syntax.hpp"
#include "mapping/ldap_transport_config.hpp"
#include "mapping/profile_loader.hpp"
#include "mapping/rfc3339_time.hpp"
#include "mapping/suggest.hpp"

#include <ldap.h>
#include <boost/json.hpp>
#include <boost/throw_exception.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

constexpr std::string_view secret_inline =
    "secrets never sit in the config: put the password in a file readable only by the service "
    "and set \"password_file\"";
constexpr std::string_view verify_off =
    "certificate checks stay on: to turn them off (never in production) set "
    "\"insecure_skip_verify\": true, which `check` warns about";
constexpr std::string_view token_inline =
    "tokens are kept as hashes: remove the token and set \"sha256\" to the output of "
    "`printf %s TOKEN | sha256sum`";
constexpr std::string_view client_secret_inline =
    "client secrets are kept as hashes: remove the secret and set \"secret_sha256\" to the "
    "output of `printf %s SECRET | sha256sum` (`scim-ldap-bridge token new-client` prints it)";
constexpr std::string_view signing_key_inline =
    "signing keys never sit in the config: put the key in a file readable only by the service "
    "and set \"key_file\"";

bool is_lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

class config_reader {
public:
    explicit config_reader(error_list& errors) : errors_(errors) {}

    config read(const json::value& root) {
        config c;
        object_reader r(root, "", errors_,
                        {"$schema", "listen", "http", "scim", "ldap", "tenants", "tokens", "oauth",
                         "metrics", "logging"});
        if (!r.valid()) {
            return c;
        }
        if (const auto* v = r.object("listen")) {
            read_listen(*v, c.listen);
        }
        if (const auto* v = r.object("http")) {
            read_http(*v, c.http);
        }
        if (const auto* v = r.object("scim")) {
            read_scim(*v, c.scim);
        }
        if (const auto* v = r.object("ldap", true)) {
            read_ldap(*v, c.ldap);
            if (c.ldap.confirm_writes >= c.http.request_timeout) {
                // The request's deadline would answer 503 for writes the directory took.
                errors_.add("ldap.confirm_writes",
                            "must be shorter than http.request_timeout (" +
                                std::to_string(c.http.request_timeout.count()) + " ms)");
            }
        }
        if (const auto* list = r.array("tenants", true)) {
            if (list->empty()) {
                r.error("tenants", "define at least one tenant");
            }
            for (std::size_t i = 0; i < list->size(); ++i) {
                c.tenants.push_back(read_tenant((*list)[i], index_path("tenants", i)));
            }
        }
        if (const auto* v = r.object("oauth")) {
            c.oauth = read_oauth(*v);
        }
        // OAuth clients can be the only callers (an Entra-only deployment): then "tokens" may
        // be left out or empty.
        const bool has_clients = c.oauth && !c.oauth->clients.empty();
        if (const auto* list = r.array("tokens", !r.has("oauth"))) {
            if (list->empty() && !has_clients) {
                r.error("tokens",
                        "define at least one token (or an OAuth client), or no client can call "
                        "the bridge");
            }
            for (std::size_t i = 0; i < list->size(); ++i) {
                c.tokens.push_back(read_token((*list)[i], index_path("tokens", i)));
            }
        } else if (r.has("oauth") && !r.has("tokens") && !has_clients) {
            r.error("tokens", "required key is missing: add \"tokens\" or OAuth clients");
        }
        if (const auto* v = r.object("metrics")) {
            c.metrics = read_metrics(*v);
        }
        if (const auto* v = r.object("logging")) {
            read_logging(*v, c.logging);
        }
        return c;
    }

private:
    void read_listen(const json::value& v, listen_settings& out) {
        object_reader r(v, "listen", errors_, {"host", "port", "tls"});
        out.host = r.string("host").value_or(out.host);
        if (out.host.empty()) {
            r.error("host", "name an address to listen on, e.g. \"127.0.0.1\" or \"::\"");
        }
        out.port = static_cast<std::uint16_t>(r.integer("port", 1, 65535).value_or(out.port));
        if (const auto* tls = r.object("tls")) {
            object_reader t(*tls, "listen.tls", errors_, {"cert_file", "key_file"});
            out.tls = tls_settings{t.string("cert_file", true).value_or(""),
                                   t.string("key_file", true).value_or("")};
        }
    }

    metrics_settings read_metrics(const json::value& v) {
        object_reader r(v, "metrics", errors_, {"listen", "token_sha256"});
        metrics_settings out;
        if (const auto* l = r.object("listen")) {
            object_reader lr(*l, "metrics.listen", errors_, {"host", "port"});
            listen_settings listen;
            listen.host = lr.string("host").value_or(listen.host);
            if (listen.host.empty()) {
                lr.error("host", "name an address to listen on, e.g. \"127.0.0.1\"");
            }
            listen.port =
                static_cast<std::uint16_t>(lr.integer("port", 1, 65535, true).value_or(0));
            out.listen = listen;
        }
        if (r.has("token_sha256")) {
            out.token_sha256 = read_sha256(r, "token_sha256", "metrics token", "METRICS_TOKEN");
        }
        if (r.valid() && !out.listen && !r.has("token_sha256")) {
            r.error("listen",
                    "say where metrics are served: \"listen\" (a listener of their "
                    "own) and/or \"token_sha256\" (GET /metrics on the main port)");
        }
        return out;
    }

    void read_http(const json::value& v, http_settings& out) {
        object_reader r(
            v, "http", errors_,
            {"base_path", "io_threads", "max_body_bytes", "max_header_bytes", "header_timeout",
             "idle_timeout", "request_timeout", "max_connections", "shutdown_grace"});
        out.base_path = r.string("base_path").value_or(out.base_path);
        if (out.base_path.empty() || out.base_path.front() != '/' ||
            (out.base_path.size() > 1 && out.base_path.back() == '/')) {
            r.error("base_path", "\"" + out.base_path +
                                     "\" must start with \"/\" and not end with one, e.g. "
                                     "\"/scim/v2\"");
        }
        const auto size = [&](std::string_view key, std::size_t& field, std::int64_t min,
                              std::int64_t max) { read_size(r, key, field, min, max); };
        size("io_threads", out.io_threads, 1, 256);
        size("max_body_bytes", out.max_body_bytes, 1024, 1LL << 30);
        size("max_header_bytes", out.max_header_bytes, 1024, 1LL << 20);
        size("max_connections", out.max_connections, 1, 1'000'000);
        read_duration(r, "header_timeout", out.header_timeout);
        read_duration(r, "idle_timeout", out.idle_timeout);
        read_duration(r, "request_timeout", out.request_timeout);
        read_duration(r, "shutdown_grace", out.shutdown_grace, true);
    }

    void read_scim(const json::value& v, scim_settings& out) {
        object_reader r(v, "scim", errors_,
                        {"default_count", "max_count", "max_members_inline", "max_walks",
                         "max_walks_per_tenant", "walk_queue_timeout", "bulk", "cursor_timeout",
                         "cursor_key_file"});
        out.max_count =
            static_cast<int>(r.integer("max_count", 1, 100'000).value_or(out.max_count));
        out.default_count =
            static_cast<int>(r.integer("default_count", 0, 100'000).value_or(out.default_count));
        if (out.default_count > out.max_count) {
            r.error("default_count",
                    "must not exceed max_count (" + std::to_string(out.max_count) + ")");
        }
        const auto size = [&](std::string_view key, std::size_t& field, std::int64_t min,
                              std::int64_t max) { read_size(r, key, field, min, max); };
        size("max_members_inline", out.max_members_inline, 0, 10'000'000);
        size("max_walks", out.max_walks, 1, 256);
        size("max_walks_per_tenant", out.max_walks_per_tenant, 1, 256);
        read_duration(r, "walk_queue_timeout", out.walk_queue_timeout, true);
        if (const auto* bulk = r.object("bulk")) {
            object_reader b(*bulk, "scim.bulk", errors_, {"max_operations", "max_payload_bytes"});
            read_size(b, "max_operations", out.bulk_max_operations, 0, 100'000);
            read_size(b, "max_payload_bytes", out.bulk_max_payload_bytes, 1024, 1LL << 30);
        }
        read_duration(r, "cursor_timeout", out.cursor_timeout);
        out.cursor_key_file = r.string("cursor_key_file").value_or("");
    }

    static void read_size(const object_reader& r, std::string_view key, std::size_t& field,
                          std::int64_t min, std::int64_t max) {
        field = static_cast<std::size_t>(
            r.integer(key, min, max).value_or(static_cast<std::int64_t>(field)));
    }

    static void read_duration(const object_reader& r, std::string_view key,
                              std::chrono::milliseconds& field, bool zero_ok = false) {
        const auto d = r.duration(key);
        if (!d) {
            return;
        }
        if (d->count() == 0 && !zero_ok) {
            r.error(key, "must be longer than 0ms");
            return;
        }
        if (*d > std::chrono::hours(24)) {
            r.error(key, "must be at most 24h");
            return;
        }
        field = *d;
    }

    void read_ldap(const json::value& v, ldap_settings& out) {
        std::vector<std::string_view> known{"bind_dn",
                                            "password_file",
                                            "sasl_external",
                                            "pool_size",
                                            "operation_timeout",
                                            "connect_timeout",
                                            "reconnect_backoff_min",
                                            "reconnect_backoff_max",
                                            "probe_interval",
                                            "failback_after",
                                            "confirm_writes",
                                            "read_your_writes",
                                            "max_pending_reads",
                                            "max_pending_writes"};
        known.insert(known.end(), std::begin(ldap_transport_keys), std::end(ldap_transport_keys));
        object_reader r(v, "ldap", errors_, known,
                        {{"password", secret_inline},
                         {"bind_password", secret_inline},
                         {"uri", "use \"uris\": a list of one or more LDAP URIs"},
                         {"verify", verify_off}});
        out.sasl_external = r.boolean("sasl_external").value_or(false);
        if (const auto dn = r.string("bind_dn")) {
            if (!is_valid_dn(*dn)) {
                r.error("bind_dn", "\"" + *dn +
                                       "\" is not a DN (RFC 4514), e.g. "
                                       "cn=scim-bridge,ou=Services,dc=example,dc=org");
            }
            out.bind_dn = *dn;
        }
        read_ldap_transport(r, errors_, out);
        out.password_file = r.string("password_file").value_or("");
        if (!out.sasl_external && out.bind_dn.empty()) {
            r.error("bind_dn",
                    "required key is missing: add \"bind_dn\" (the bridge's service "
                    "account) or set \"sasl_external\": true");
        }
        if (!out.sasl_external && !out.bind_dn.empty() && out.password_file.empty()) {
            r.error("password_file",
                    "required key is missing: add \"password_file\", a file "
                    "holding the bind password");
        }
        if (out.sasl_external && !out.password_file.empty()) {
            r.error("password_file",
                    "SASL EXTERNAL uses the client certificate; remove "
                    "\"password_file\"");
        }
        out.pool_size = static_cast<std::size_t>(
            r.integer("pool_size", 1, 256).value_or(static_cast<std::int64_t>(out.pool_size)));
        for (auto [key, field] : {std::pair{"max_pending_reads", &out.max_pending_reads},
                                  std::pair{"max_pending_writes", &out.max_pending_writes}}) {
            *field = static_cast<std::size_t>(
                r.integer(key, 1, 1'000'000).value_or(static_cast<std::int64_t>(*field)));
        }
        read_duration(r, "operation_timeout", out.operation_timeout);
        read_duration(r, "connect_timeout", out.connect_timeout);
        read_duration(r, "reconnect_backoff_min", out.reconnect_backoff_min);
        read_duration(r, "reconnect_backoff_max", out.reconnect_backoff_max);
        read_duration(r, "probe_interval", out.probe_interval, true);
        read_duration(r, "failback_after", out.failback_after, true);
        read_duration(r, "confirm_writes", out.confirm_writes, true);
        if (out.confirm_writes.count() > 0 && out.uris.size() < 2) {
            r.error("confirm_writes",
                    "waits for another of \"uris\" to hold each write: list at least two "
                    "providers, or set \"0s\"");
        }
        read_duration(r, "read_your_writes", out.read_your_writes, true);
        if (out.reconnect_backoff_min > out.reconnect_backoff_max) {
            r.error("reconnect_backoff_min", "must not exceed reconnect_backoff_max");
        }
    }

    tenant_settings read_tenant(const json::value& v, const std::string& path) {
        tenant_settings t;
        object_reader r(v, path, errors_,
                        {"name", "profile", "users_base", "groups_base", "roles_base",
                         "archive_base", "patch_response", "limits"});
        if (!r.valid()) {
            return t;
        }
        t.name = r.string("name", true).value_or("");
        if (r.has("name") && t.name.empty()) {
            r.error("name", "a tenant needs a non-empty name (tokens refer to it)");
        }
        t.profile = r.string("profile").value_or("openldap-inetorgperson");
        t.users_base = read_dn(r, "users_base", true);
        t.groups_base = read_dn(r, "groups_base", true);
        t.roles_base = read_dn(r, "roles_base", true);
        if (r.has("archive_base")) {
            t.archive_base = read_dn(r, "archive_base", false);
        }
        if (const auto how = r.string("patch_response")) {
            if (*how == "no_content") {
                t.patch_no_content = true;
            } else if (*how != "resource") {
                r.error("patch_response", "\"" + *how +
                                              "\" is not \"resource\" (200 with the resource) "
                                              "or \"no_content\" (204)");
            }
        }
        if (const auto* limits = r.object("limits")) {
            t.limits = read_limits(*limits, r.path_of("limits"));
        }
        return t;
    }

    tenant_limits read_limits(const json::value& v, const std::string& path) {
        object_reader r(v, path, errors_, {"requests_per_second", "burst", "max_concurrent"});
        tenant_limits out;
        constexpr std::int64_t most = 1'000'000;
        out.requests_per_second =
            static_cast<std::uint32_t>(r.integer("requests_per_second", 1, most).value_or(0));
        out.burst = static_cast<std::uint32_t>(r.integer("burst", 1, most).value_or(0));
        out.max_concurrent =
            static_cast<std::uint32_t>(r.integer("max_concurrent", 1, most).value_or(0));
        if (r.has("burst") && !r.has("requests_per_second")) {
            r.error("burst", "a burst needs a rate: add \"requests_per_second\"");
        }
        if (out.requests_per_second != 0 && out.burst == 0) {
            out.burst = out.requests_per_second;
        }
        return out;
    }

    static ldap::dn read_dn(const object_reader& r, std::string_view key, bool required) {
        const auto text = r.string(key, required);
        if (!text) {
            return {};
        }
        if (!is_valid_dn(*text)) {
            r.error(key, "\"" + *text +
                             "\" is not a DN (RFC 4514): write attribute=value pairs separated "
                             "by commas, e.g. ou=People,dc=example,dc=org; escape , + \" \\ < > ; "
                             "inside values with a backslash");
            return {};
        }
        return ldap::dn(*text);
    }

    token_settings read_token(const json::value& v, const std::string& path) {
        token_settings t;
        object_reader r(
            v, path, errors_, {"name", "sha256", "tenant", "not_after"},
            {{"token", token_inline}, {"secret", token_inline}, {"value", token_inline}});
        if (!r.valid()) {
            return t;
        }
        t.name = r.string("name", true).value_or("");
        t.tenant = r.string("tenant", true).value_or("");
        t.sha256 = read_sha256(r, "sha256", "token", "TOKEN");
        if (const auto text = r.string("not_after")) {
            t.not_after = parse_rfc3339(*text);
            if (!t.not_after) {
                r.error("not_after", "\"" + *text +
                                         "\" is not an RFC 3339 date-time: write e.g. "
                                         "\"2027-03-31T00:00:00Z\" (UTC) or with an offset, "
                                         "\"2027-03-31T00:00:00+02:00\"");
            }
        }
        return t;
    }

    // A SHA-256 in hex, stored in lowercase; "" (and an error) when it is not one.
    static std::string read_sha256(const object_reader& r, std::string_view key,
                                   std::string_view of_what, std::string_view placeholder) {
        const auto hash = r.string(key, true);
        if (!hash) {
            return {};
        }
        const std::string lower = ascii::to_lower_copy(*hash);
        if (lower.size() != 64 || !is_lower_hex(lower)) {
            r.error(key, "expected 64 hexadecimal characters (the SHA-256 of the " +
                             std::string(of_what) + "), got " + std::to_string(hash->size()) +
                             " characters; compute it with `printf %s " + std::string(placeholder) +
                             " | sha256sum`");
            return {};
        }
        return lower;
    }

    oauth_settings read_oauth(const json::value& v) {
        oauth_settings out;
        object_reader r(v, "oauth", errors_, {"token_lifetime", "signing_keys", "clients"});
        if (!r.valid()) {
            return out;
        }
        if (const auto d = r.duration("token_lifetime")) {
            // RFC 6749 §4.4.3 tokens are short-lived by design: a stolen one is useful for at
            // most this long, and there is no revocation list.
            if (*d < std::chrono::minutes(1) || *d > std::chrono::hours(24)) {
                r.error("token_lifetime", "must be from 1m to 24h, e.g. \"60m\"");
            } else {
                out.token_lifetime = *d;
            }
        }
        if (const auto* keys = r.array("signing_keys")) {
            for (std::size_t i = 0; i < keys->size(); ++i) {
                const std::string path = index_path("oauth.signing_keys", i);
                object_reader k((*keys)[i], path, errors_, {"id", "key_file"},
                                {{"key", signing_key_inline}, {"secret", signing_key_inline}});
                if (!k.valid()) {
                    continue;
                }
                signing_key_settings key;
                key.id = k.string("id", true).value_or("");
                if (k.has("id") && !is_token_id(key.id)) {
                    k.error("id",
                            "\"" + key.id +
                                "\" is not a key id: use 1 to 64 letters, digits, \"-\", \"_\" "
                                "or \".\", e.g. \"2026-12\"");
                }
                key.key_file = k.string("key_file", true).value_or("");
                out.signing_keys.push_back(std::move(key));
            }
        }
        if (const auto* clients = r.array("clients")) {
            for (std::size_t i = 0; i < clients->size(); ++i) {
                const std::string path = index_path("oauth.clients", i);
                object_reader k(
                    (*clients)[i], path, errors_, {"client_id", "secret_sha256", "tenant", "name"},
                    {{"client_secret", client_secret_inline}, {"secret", client_secret_inline}});
                if (!k.valid()) {
                    continue;
                }
                oauth_client_settings client;
                client.client_id = k.string("client_id", true).value_or("");
                if (k.has("client_id") && !is_client_id(client.client_id)) {
                    k.error("client_id",
                            "\"" + client.client_id +
                                "\" is not a client id: use 1 to 128 printable ASCII characters "
                                "without spaces or \":\" (HTTP Basic separates id and secret "
                                "with it)");
                }
                client.secret_sha256 = read_sha256(k, "secret_sha256", "client secret", "SECRET");
                client.tenant = k.string("tenant", true).value_or("");
                client.name = k.string("name", true).value_or("");
                out.clients.push_back(std::move(client));
            }
        }
        return out;
    }

    static bool is_token_id(std::string_view id) {
        return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
    }

    static bool is_client_id(std::string_view id) {
        return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
            return c > ' ' && c < 127 && c != ':';
        });
    }

    void read_logging(const json::value& v, logging_settings& out) {
        object_reader r(v, "logging", errors_, {"level", "format", "audit"});
        static const std::vector<std::string_view> levels = {"trace", "debug",    "info", "warn",
                                                             "error", "critical", "off"};
        if (const auto level = r.string("level")) {
            if (std::find(levels.begin(), levels.end(), *level) == levels.end()) {
                r.error("level", "unknown level \"" + *level + "\"" + did_you_mean(*level, levels) +
                                     "; use trace, debug, info, warn, error, critical or off");
            } else {
                out.level = *level;
            }
        }
        if (const auto format = r.string("format")) {
            if (*format != "text" && *format != "json") {
                r.error("format", "unknown format \"" + *format + "\"; use text or json");
            } else {
                out.format = *format;
            }
        }
        if (const auto* audit = r.object("audit")) {
            read_audit(*audit, out.audit);
        }
    }

    void read_audit(const json::value& v, audit_settings& out) {
        object_reader r(v, "logging.audit", errors_, {"enabled", "file"});
        out.enabled = r.boolean("enabled").value_or(true);
        if (const auto file = r.string("file")) {
            if (file->empty() || file->front() != '/') {
                r.error("file", "must be an absolute path (logrotate and the unit name it too)");
            } else {
                out.file = *file;
            }
        }
    }

    error_list& errors_;
};

// Each distinct profile is loaded once; its errors carry the profile's own file name.
void load_profiles(config& c, const std::string& base_dir,
                   const std::vector<std::string>& profile_dirs, error_list& errors) {
    for (std::size_t i = 0; i < c.tenants.size(); ++i) {
        const auto& name = c.tenants[i].profile;
        if (name.empty() || c.profiles.count(name) != 0) {
            continue;
        }
        const auto file = find_profile_file(name, base_dir, profile_dirs);
        if (!file) {
            std::string where;
            for (const auto& d : profile_dirs) {
                where += (where.empty() ? "" : ", ") + d;
            }
            errors.add(index_path("tenants", i) + ".profile",
                       "profile \"" + name + "\" not found (looked for " + name + ".json in: " +
                           where + "); name a shipped profile or give a path to a .json file");
            continue;
        }
        auto loaded = load_profile(*file);
        if (!loaded) {
            // result::error() returns a copy: take it once.
            const auto profile_errors = loaded.error();
            auto& all = errors.errors();
            all.insert(all.end(), profile_errors.begin(), profile_errors.end());
            continue;
        }
        c.profiles.emplace(name, std::move(*loaded));
    }
}

}  // namespace

std::string config_error::to_string() const {
    return file + ": " + (path.empty() ? "$" : path) + ": " + message;
}

void throw_exception_from_error(const std::vector<config_error>& e,
                                const boost::source_location& loc) {
    std::string text;
    for (const auto& error : e) {
        text += (text.empty() ? "" : "\n") + error.to_string();
    }
    boost::throw_exception(std::runtime_error(text), loc);
}

boost::system::result<config, std::vector<config_error>> parse_config(
    std::string_view json_text, std::string_view file_label, const std::string& base_dir,
    const std::vector<std::string>& profile_dirs) {
    error_list errors{std::string(file_label)};
    const auto root = parse_json_document(json_text, errors);
    if (!root) {
        return std::move(errors.errors());
    }
    config c = config_reader(errors).read(*root);
    check_tenants_and_tokens(c, errors);
    check_oauth(c, errors);
    load_profiles(c, base_dir, profile_dirs, errors);
    check_tenant_profiles(c, errors);
    check_resource_types(c, errors);
    if (!errors.empty()) {
        return std::move(errors.errors());
    }
    return c;
}

boost::system::result<config, std::vector<config_error>> load_config(
    const std::string& path, const std::vector<std::string>& profile_dirs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::vector<config_error>{
            {path, "$", "cannot read the config file: check the path and its permissions"}};
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string base_dir = std::filesystem::path(path).parent_path().string();
    return parse_config(text.str(), path, base_dir, profile_dirs);
}

std::vector<std::string> default_profile_dirs() {
    namespace fs = std::filesystem;
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("SCIMLDAP_PROFILE_DIR"); env != nullptr && *env != '\0') {
        dirs.emplace_back(env);
    }
    // The data dir beside the running binary (bin/../share/scim-ldap-bridge): an install made
    // with `cmake --install --prefix OTHER`, or moved, still finds its own profiles.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path beside =
            (exe.parent_path() / SCIMLDAP_DATA_FROM_BIN / "profiles").lexically_normal();
        if (fs::is_directory(beside, ec)) {
            dirs.push_back(beside.string());
        }
    }
    // filesystem::path rather than string concatenation: g++ 12 warns falsely (-Warray-bounds)
    // about appending to a string built from a literal macro.
    for (const fs::path& d : {fs::path(SCIMLDAP_DATA_DIR) / "profiles",
                              fs::path(SCIMLDAP_SOURCE_DIR) / "mapping" / "profiles"}) {
        if (std::find(dirs.begin(), dirs.end(), d.string()) == dirs.end()) {
            dirs.push_back(d.string());
        }
    }
    return dirs;
}

}  // namespace scimldap::mapping
