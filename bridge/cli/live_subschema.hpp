// Reads a live server's subschema (RFC 4512 §4.2) for `check --live`.
#pragma once

#include "bridge/ldap/ldap_client.hpp"
#include "mapping/subschema_check.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace scimldap::cli {

/// The attributeTypes and objectClasses of the subschema entry the root DSE names in
/// subschemaSubentry (cn=Subschema when it names none).
boost::asio::awaitable<ldap::result<mapping::subschema>> read_subschema(ldap::client& client);

/// What `check --live` learns from the server: its subschema, the certificate it showed (TLS),
/// and why no connection came up when none did.
struct live_reading {
    ldap::result<mapping::subschema> schema;
    std::optional<ldap::peer_certificate> peer;
    std::string connect_failure;
};

/// read_subschema with a client of its own on a local io_context, for callers outside any IO
/// thread (the CLI). Returns when the answer came or the client's operation timeout passed.
live_reading fetch_subschema(const ldap::client_options& options);

}  // namespace scimldap::cli
