#include "tests/support/certificate_fingerprint.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace scimldap::testing {

namespace {

namespace asio = boost::asio;

struct x509_free {
    void operator()(X509* x) const { X509_free(x); }
};
using x509_ptr = std::unique_ptr<X509, x509_free>;

std::string fingerprint(X509* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1) {
        throw std::runtime_error("X509_digest failed");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace

std::string certificate_file_fingerprint(const std::string& pem_file) {
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(pem_file.c_str(), "r"),
                                                             &std::fclose);
    if (!in) {
        throw std::runtime_error("cannot open " + pem_file);
    }
    const x509_ptr certificate(PEM_read_X509(in.get(), nullptr, nullptr, nullptr));
    if (!certificate) {
        throw std::runtime_error("no certificate in " + pem_file);
    }
    return fingerprint(certificate.get());
}

std::string served_certificate_fingerprint(std::uint16_t port) {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, tls);
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    stream.handshake(asio::ssl::stream_base::client);
    const x509_ptr served(SSL_get1_peer_certificate(stream.native_handle()));
    if (!served) {
        throw std::runtime_error("the server presented no certificate");
    }
    return fingerprint(served.get());
}

}  // namespace scimldap::testing
