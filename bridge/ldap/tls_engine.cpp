#include "bridge/ldap/tls_engine.hpp"

#include "bridge/ldap/ldap_tls.hpp"

#include <openssl/err.h>

namespace scimldap::ldap::detail {
namespace {

/// Where on_verify finds its engine (the SSL's application data slot).
tls_engine* engine_of(X509_STORE_CTX* ctx) {
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    return ssl != nullptr ? static_cast<tls_engine*>(SSL_get_app_data(ssl)) : nullptr;
}

}  // namespace

tls_engine::tls_engine(SSL_CTX* context, const ldap_uri& uri, bool verify) : verify_(verify) {
    ssl_ = SSL_new(context);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    if (ssl_ == nullptr || in_ == nullptr || out_ == nullptr) {
        BIO_free(in_);
        BIO_free(out_);
        SSL_free(ssl_);
        ssl_ = nullptr;
        return;
    }
    // An empty memory BIO reads as "retry", not as end of file.
    BIO_set_mem_eof_return(in_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_connect_state(ssl_);
    SSL_set_app_data(ssl_, this);
    SSL_set_verify(ssl_, SSL_CTX_get_verify_mode(context), &tls_engine::on_verify);
    if (!expect_peer(ssl_, uri, verify)) {
        SSL_free(ssl_);
        ssl_ = nullptr;
    }
}

tls_engine::~tls_engine() {
    SSL_free(ssl_);  // frees both BIOs
}

int tls_engine::on_verify(int preverified, X509_STORE_CTX* ctx) {
    // Only watches: the outcome stays OpenSSL's (and with verify off, it is ignored).
    if (tls_engine* self = engine_of(ctx)) {
        if (auto when = leaf_not_after(ctx); !when.empty()) {
            self->leaf_not_after_ = std::move(when);
        }
    }
    return preverified;
}

tls_engine::status tls_engine::handshake() {
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl_);
    if (rc == 1) {
        return status::done;
    }
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        return status::want_input;  // WANT_WRITE cannot last: the output BIO takes everything
    }
    last_error_ = ERR_peek_last_error();
    return status::failed;
}

void tls_engine::put_input(const char* data, std::size_t size) {
    BIO_write(in_, data, static_cast<int>(size));
}

std::optional<std::size_t> tls_engine::read(std::span<char> into) {
    ERR_clear_error();
    const int rc = SSL_read(ssl_, into.data(), static_cast<int>(into.size()));
    if (rc > 0) {
        return static_cast<std::size_t>(rc);
    }
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ) {
        return 0;
    }
    peer_closed_ = error == SSL_ERROR_ZERO_RETURN;
    last_error_ = ERR_peek_last_error();
    return std::nullopt;
}

bool tls_engine::write(std::string_view plain) {
    ERR_clear_error();
    while (!plain.empty()) {
        const int rc = SSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
        if (rc <= 0) {
            last_error_ = ERR_peek_last_error();
            return false;
        }
        plain.remove_prefix(static_cast<std::size_t>(rc));
    }
    return true;
}

void tls_engine::take_output(std::string& out) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(out_, &data);
    if (size > 0) {
        out.append(data, static_cast<std::size_t>(size));
        (void)BIO_reset(out_);
    }
}

std::string tls_engine::failure(const ldap_uri& uri) const {
    std::string out = "TLS handshake with " + uri.where() + " failed: ";
    // Without verification OpenSSL still records a result; it is not why the handshake failed.
    if (const long verify_result = SSL_get_verify_result(ssl_);
        verify_ && verify_result != X509_V_OK) {
        return out + describe_certificate_problem(verify_result, uri, leaf_not_after_);
    }
    if (last_error_ != 0) {
        char text[256];
        ERR_error_string_n(last_error_, text, sizeof text);
        return out + text;
    }
    return out + "the server closed the connection (is it serving TLS on this port?)";
}

std::optional<peer_certificate> tls_engine::peer() const {
    return describe_peer(ssl_);
}

}  // namespace scimldap::ldap::detail
