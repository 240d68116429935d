#include "tests/support/certificate_fingerprint.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace scimldap::testing {

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

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

tls_connection::tls_connection(std::uint16_t port) {
    tls_.set_verify_mode(asio::ssl::verify_none);
    stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    stream_.handshake(asio::ssl::stream_base::client);
}

std::string tls_connection::served_fingerprint() {
    const x509_ptr served(SSL_get1_peer_certificate(stream_.native_handle()));
    if (!served) {
        throw std::runtime_error("the server presented no certificate");
    }
    return fingerprint(served.get());
}

unsigned tls_connection::get(const std::string& target) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.keep_alive(true);
    bhttp::write(stream_, req);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream_, buffer, res);
    return res.result_int();
}

std::string served_certificate_fingerprint(std::uint16_t port) {
    return tls_connection(port).served_fingerprint();
}

}  // namespace scimldap::testing
