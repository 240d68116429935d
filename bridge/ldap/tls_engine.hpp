// TLS on OpenSSL memory BIOs: the connection moves ciphertext between the socket and this
// engine itself, so TLS adds no I/O operation, handler or system call of its own per request.
#pragma once

#include "base/ldap_uri.hpp"
#include "bridge/ldap/ldap_client.hpp"

#include <openssl/ssl.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace scimldap::ldap::detail {

/// One client-side TLS session: ciphertext in (put_input) and out (take_output), plaintext
/// through read and write. Never touches a socket.
class tls_engine {
public:
    /// A client session for uri: SNI and, with verify, the name or address the server's
    /// certificate must carry (RFC 6125), checked by OpenSSL during the handshake.
    tls_engine(SSL_CTX* context, const ldap_uri& uri, bool verify);
    ~tls_engine();
    tls_engine(const tls_engine&) = delete;
    tls_engine& operator=(const tls_engine&) = delete;

    bool valid() const { return ssl_ != nullptr; }

    enum class status { done, want_input, failed };
    /// One handshake step; send take_output() after each, feed the server's answer on want_input.
    status handshake();
    /// Ciphertext that came from the socket.
    void put_input(const char* data, std::size_t size);
    /// Plaintext decrypted into `into`: its size, 0 when more ciphertext is needed, nullopt when
    /// the session failed or the server closed it.
    std::optional<std::size_t> read(std::span<char> into);
    /// Encrypts plaintext; its records wait in take_output(). False when the session failed.
    bool write(std::string_view plain);
    /// Appends the ciphertext waiting to be sent to `out`.
    void take_output(std::string& out);

    /// Why the handshake failed, naming the server (unknown CA, expired, name mismatch...).
    std::string failure(const ldap_uri& uri) const;
    std::optional<peer_certificate> peer() const;

private:
    static int on_verify(int preverified, X509_STORE_CTX* ctx);

    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;           // owned by ssl_
    BIO* out_ = nullptr;          // owned by ssl_
    std::string leaf_not_after_;  // seen while verifying: OpenSSL keeps no peer after a failure
    unsigned long last_error_ = 0;
    bool verify_ = true;
    bool peer_closed_ = false;
};

}  // namespace scimldap::ldap::detail
