#include "bridge/cli/generation.hpp"

#include "base/ascii_case.hpp"
#include "bridge/auth/random_secret.hpp"
#include "bridge/cli/ldap_options.hpp"
#include "bridge/cli/logging_setup.hpp"
#include "bridge/cli/secret_file.hpp"
#include "bridge/http/tls_context.hpp"
#include "bridge/scim/bulk_endpoint.hpp"
#include "bridge/scim/discovery_endpoint.hpp"
#include "bridge/scim/groups_endpoint.hpp"
#include "bridge/scim/root_search.hpp"
#include "bridge/scim/users_endpoint.hpp"

#include <set>
#include <stdexcept>

namespace scimldap::cli {

namespace {

// A path with ${CREDENTIALS_DIRECTORY} expanded; a failure names the config key.
std::string expanded(std::string_view key, const std::string& path) {
    try {
        return expand_credentials_path(path);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string(key) + ": " + e.what());
    }
}

// The listener's context from listen.tls; OpenSSL reads the key itself, so its permissions are
// checked first.
std::shared_ptr<boost::asio::ssl::context> listener_tls(const mapping::listen_settings& listen) {
    if (!listen.tls) {
        return nullptr;
    }
    mapping::tls_settings files{expanded("listen.tls.cert_file", listen.tls->cert_file),
                                expanded("listen.tls.key_file", listen.tls->key_file)};
    if (const auto refusal = check_private_file(files.key_file)) {
        throw std::runtime_error("listen.tls.key_file: " + *refusal);
    }
    return std::make_shared<boost::asio::ssl::context>(http::make_tls_context(files));
}

// What the LDAP client's TLS files hold now. The client key is refused like any private file
// others may read.
std::string ldap_tls_files(const ldap::tls_options& tls) {
    std::string out;
    try {
        for (const std::string* path : {&tls.ca_file, &tls.cert_file}) {
            if (!path->empty()) {
                out += read_secret_file(*path) + '\n';
            }
        }
        if (!tls.key_file.empty()) {
            out += read_private_file(tls.key_file);
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("ldap TLS files: ") + e.what());
    }
    return out;
}

// Each further resource type once, at its endpoint, whichever profiles define it (the config
// check made sure one endpoint is one type everywhere); tenants without it get 404 there.
void register_further_types(scim::router& routes, ldap::client& client,
                            const scim::endpoint_settings& endpoints,
                            const mapping::config& config) {
    std::set<std::string> registered;
    for (const auto& [name, profile] : config.profiles) {
        for (const auto& type : profile->more) {
            if (!registered.insert(ascii::to_lower_copy(type.endpoint)).second) {
                continue;
            }
            if (type.members) {
                scim::register_member_routes(routes, client, endpoints, type.name, type.endpoint);
            } else {
                scim::register_entry_routes(routes, client, endpoints, type.name, type.endpoint);
            }
        }
    }
}

/// The key that signs list cursors: scim.cursor_key_file's, else one drawn once per process,
/// so a reload keeps the cursors it issued valid (other processes cannot verify them).
std::string cursor_key(const mapping::scim_settings& scim) {
    static const std::string drawn = auth::random_secret();
    return scim.cursor_key.empty() ? drawn : scim.cursor_key;
}

void register_routes(scim::router& routes, ldap::client& client, const mapping::config& config,
                     bool oauth_client_credentials) {
    scim::endpoint_settings endpoints;
    endpoints.default_scheme = config.listen.tls ? "https" : "http";
    endpoints.paging = {config.scim.default_count, config.scim.max_count};
    endpoints.reads = scim::make_read_limits(
        config.scim.max_walks, config.scim.max_walks_per_tenant, config.scim.walk_queue_timeout,
        config.scim.max_count, config.scim.max_members_inline);
    endpoints.cursors = {cursor_key(config.scim), config.scim.cursor_timeout};
    endpoints.replicas = !config.ldap.read_uris.empty();
    endpoints.read_your_writes = config.ldap.read_your_writes;
    scim::register_user_routes(routes, client, endpoints);
    scim::register_group_routes(routes, client, endpoints);
    register_further_types(routes, client, endpoints, config);
    scim::register_root_search_route(routes, client, endpoints);
    // A bulk body larger than http.max_body_bytes never gets past the session: the smaller
    // limit is the one to advertise.
    const scim::bulk_limits bulk{
        config.scim.bulk_max_operations,
        std::min(config.scim.bulk_max_payload_bytes, config.http.max_body_bytes),
        endpoints.default_scheme};
    scim::register_bulk_route(routes, bulk);
    scim::discovery_settings discovery;
    discovery.max_results = static_cast<std::size_t>(endpoints.paging.max_count);
    discovery.default_scheme = endpoints.default_scheme;
    discovery.oauth_client_credentials = oauth_client_credentials;
    discovery.bulk_max_operations = bulk.max_operations;
    discovery.bulk_max_payload_bytes = bulk.max_payload_bytes;
    discovery.default_page_size = static_cast<std::size_t>(endpoints.paging.default_count);
    discovery.cursor_timeout_seconds = static_cast<std::size_t>(
        std::chrono::ceil<std::chrono::seconds>(config.scim.cursor_timeout).count());
    scim::register_discovery_routes(routes, discovery);
}

/// The audit log a generation writes to: the previous one's (reopened, as logrotate expects of
/// a reload) while its settings stay, else a new one. Throws when the file cannot be opened.
std::shared_ptr<const http::audit_log> audit_log_for(const mapping::logging_settings& logging,
                                                     const generation* previous) {
    if (!logging.audit.enabled) {
        return nullptr;
    }
    if (previous != nullptr && previous->pipeline.audit &&
        previous->config.logging.audit == logging.audit &&
        previous->config.logging.format == logging.format) {
        previous->pipeline.audit->reopen();
        return previous->pipeline.audit;
    }
    if (!logging.audit.file.empty()) {
        try {
            return http::audit_log::to_file(logging.audit.file);
        } catch (const std::runtime_error& e) {
            throw std::runtime_error(std::string("logging.audit.file: ") + e.what());
        }
    }
    return http::audit_log::to_logger(audit_logger(), logging.format == "json");
}

}  // namespace

generation::generation(mapping::config loaded, ldap::client_options options, std::string tls_files,
                       std::shared_ptr<ldap::client> client, bool client_is_new,
                       std::shared_ptr<boost::asio::ssl::context> listener_tls)
    : config(std::move(loaded)),
      ldap_options(std::move(options)),
      ldap_tls_files(std::move(tls_files)),
      ldap(std::move(client)),
      new_ldap(client_is_new),
      tls(std::move(listener_tls)),
      // The client lives as long as this generation, and so as long as its pipeline.
      pipeline(config, [client = ldap.get()] {
          return http::readiness{client->connected(), client->last_failure(), client->target()};
      }) {
    register_routes(pipeline.routes, *ldap, config, pipeline.authenticator.oauth() != nullptr);
    if (config.ldap.confirm_writes.count() > 0) {
        // Each generation names its tenants' bases; a client kept across a reload learns them.
        std::vector<std::string> bases;
        for (const auto& t : config.tenants) {
            for (const auto* base : {&t.users_base, &t.groups_base, &t.roles_base}) {
                bases.push_back(base->str());
            }
            if (t.archive_base) {
                bases.push_back(t.archive_base->str());
            }
        }
        ldap->confirm_under(std::move(bases));
        pipeline.routes.confirm_writes_with(
            [client = ldap.get()](std::optional<scimldap::ldap::search_request> created) {
                return client->confirm_writes(std::move(created));
            });
    }
}

std::shared_ptr<generation> make_generation(mapping::config config, const generation* previous,
                                            const client_factory& make_client) {
    ldap::client_options options;
    try {
        options = client_options_from(config.ldap);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("ldap.password_file: ") + e.what());
    }
    auto tls = listener_tls(config.listen);
    auto tls_files = ldap_tls_files(options.tls);
    const bool same_ldap = previous != nullptr && previous->ldap_options == options &&
                           previous->ldap_tls_files == tls_files;
    auto audit = audit_log_for(config.logging, previous);
    auto client = same_ldap ? previous->ldap : make_client(options);
    auto made =
        std::make_shared<generation>(std::move(config), std::move(options), std::move(tls_files),
                                     std::move(client), !same_ldap, std::move(tls));
    made->pipeline.audit = std::move(audit);
    return made;
}

}  // namespace scimldap::cli
