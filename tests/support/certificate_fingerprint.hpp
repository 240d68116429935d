// Which certificate a TLS server serves, told by its SHA-256 fingerprint (OpenSSL).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <cstdint>
#include <string>

namespace scimldap::testing {

/// The SHA-256 fingerprint (lowercase hex) of the first certificate in a PEM file; throws when
/// the file holds none.
std::string certificate_file_fingerprint(const std::string& pem_file);

/// One TLS connection to 127.0.0.1:port kept open (keep-alive), to see which certificate it
/// was served and that it goes on working. Certificates are not verified (tests use
/// self-signed ones). Throws when the connection or handshake fails.
class tls_connection {
public:
    explicit tls_connection(std::uint16_t port);
    /// The fingerprint of the certificate this connection's handshake presented.
    std::string served_fingerprint();
    /// GET target on this connection: the status.
    unsigned get(const std::string& target);

private:
    boost::asio::io_context io_;
    boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_{io_, tls_};
};

/// The fingerprint of the certificate a new connection to 127.0.0.1:port is served.
std::string served_certificate_fingerprint(std::uint16_t port);

}  // namespace scimldap::testing
