#include "bridge/http/tls_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace scimldap::http {

namespace ssl = boost::asio::ssl;

boost::asio::ssl::context make_tls_context(const mapping::tls_settings& tls) {
    ssl::context ctx{ssl::context::tls_server};
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    ctx.use_certificate_chain_file(tls.cert_file, ec);
    if (ec) {
        throw std::runtime_error("listen.tls.cert_file " + tls.cert_file + ": " + ec.message());
    }
    ctx.use_private_key_file(tls.key_file, ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("listen.tls.key_file " + tls.key_file + ": " + ec.message());
    }
    return ctx;
}

}  // namespace scimldap::http
