// One configuration made ready to serve: its LDAP client, TLS context and request pipeline.
#pragma once

#include "bridge/http/pipeline.hpp"
#include "bridge/ldap/ldap_client.hpp"
#include "mapping/config.hpp"

#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>

namespace scimldap::cli {

/// Built from one config and replaced as a whole by a reload. A request holds the generation
/// it started on (through its pipeline) until it has its response, so the LDAP client its
/// handlers use outlives it; a client no generation holds any more is stopped by its
/// destructor.
struct generation {
    generation(mapping::config loaded, ldap::client_options options, std::string tls_files,
               std::shared_ptr<ldap::client> client, bool client_is_new,
               std::shared_ptr<boost::asio::ssl::context> listener_tls);

    mapping::config config;
    /// What `ldap` was made from (password included): a reload compares the next one with it.
    ldap::client_options ldap_options;
    /// The content of the LDAP TLS files (CA bundle, client certificate and key): a renewed
    /// file at the same path is a change too.
    std::string ldap_tls_files;
    /// Shared with the previous generation when the LDAP options did not change.
    std::shared_ptr<ldap::client> ldap;
    /// True when `ldap` was made for this generation and still has to be started.
    bool new_ldap;
    /// The listener's context for new connections; null without listen.tls.
    std::shared_ptr<boost::asio::ssl::context> tls;
    /// Declared after `ldap`: the routes' handlers refer to it, so they go first.
    http::pipeline pipeline;
};

/// Makes the LDAP client for new options (not started).
using client_factory = std::function<std::shared_ptr<ldap::client>(ldap::client_options)>;

/// Reads every secret and key file the config names (after ${CREDENTIALS_DIRECTORY} expansion,
/// refusing files others may read), makes the listener's TLS context and registers the SCIM
/// routes. The LDAP client is previous's when the options (and so the password file's content)
/// are the same, else a new one from make_client. Throws std::runtime_error naming the file.
std::shared_ptr<generation> make_generation(mapping::config config, const generation* previous,
                                            const client_factory& make_client);

}  // namespace scimldap::cli
