// TLS toward the directory on OpenSSL: the client context, the per-server checks, and the
// words for what went wrong.
#pragma once

#include "base/ldap_uri.hpp"
#include "bridge/ldap/ldap_client.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>

namespace scimldap::ldap {

/// The client context every connection of one client shares: TLS 1.2 or later, the CA bundle
/// (or the system's store), the optional client certificate. Null and `why` (naming the file)
/// when a file cannot be used.
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(const tls_options& options,
                                                                   std::string& why);

/// Sets SNI and the name the certificate must carry (RFC 6125: the host from the URI, or its
/// IP address) on one connection's SSL before its handshake.
bool expect_peer(SSL* ssl, const ldap_uri& uri, bool verify);

/// A failed certificate verification in words (unknown CA, expired on DATE, name mismatch).
/// leaf_not_after: the server certificate's expiry as seen while verifying (OpenSSL keeps no
/// peer certificate after a failed TLS 1.3 handshake).
std::string describe_certificate_problem(long verify_result, const ldap_uri& uri,
                                         const std::string& leaf_not_after);

/// The expiry (RFC 3339) of the certificate being verified when it is the server's own (depth
/// 0) in a verify callback; empty otherwise.
std::string leaf_not_after(X509_STORE_CTX* ctx);

/// The peer's certificate and the protocol after a successful handshake.
std::optional<peer_certificate> describe_peer(SSL* ssl);

}  // namespace scimldap::ldap
