#include "bridge/ldap/ldap_tls.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace scimldap::ldap {
namespace asio = boost::asio;

namespace {

std::string name_text(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) {
        return {};
    }
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n > 0 ? n : 0));
    BIO_free(bio);
    return out;
}

std::string rfc3339(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        return {};
    }
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

}  // namespace

std::string describe_certificate_problem(long verify_result, const ldap_uri& uri,
                                         const std::string& leaf_not_after) {
    switch (verify_result) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return "unknown CA: the server's certificate is not signed by a CA in ldap.ca_file "
                   "(or the system's store when it is not set)";
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "the server's certificate expired" +
                   (leaf_not_after.empty() ? "" : " on " + leaf_not_after);
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "the server's certificate is not valid yet (check the clocks)";
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return "name mismatch: the server's certificate is not issued for \"" + uri.host +
                   "\" (the host in the URI)";
        default:
            return X509_verify_cert_error_string(verify_result);
    }
}

std::shared_ptr<asio::ssl::context> make_client_tls_context(const tls_options& options,
                                                            std::string& why) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    // Compression (CRIME) and renegotiation stay off; OpenSSL 3 has both off already.
    SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    boost::system::error_code ec;
    if (options.ca_file.empty()) {
        ctx->set_default_verify_paths(ec);
        if (ec) {
            why = "the system's CA store cannot be loaded: " + ec.message();
            return nullptr;
        }
    } else if (ctx->load_verify_file(options.ca_file, ec); ec) {
        why = "ldap.ca_file " + options.ca_file + ": cannot load a PEM CA bundle: " + ec.message();
        return nullptr;
    }
    if (!options.cert_file.empty()) {
        if (ctx->use_certificate_chain_file(options.cert_file, ec); ec) {
            why = "ldap.cert_file " + options.cert_file +
                  ": cannot load a PEM certificate: " + ec.message();
            return nullptr;
        }
        if (ctx->use_private_key_file(options.key_file, asio::ssl::context::pem, ec); ec) {
            why = "ldap.key_file " + options.key_file + ": cannot load a PEM key: " + ec.message();
            return nullptr;
        }
        if (SSL_CTX_check_private_key(native) != 1) {
            why = "ldap.key_file " + options.key_file + " is not the key of ldap.cert_file " +
                  options.cert_file;
            return nullptr;
        }
    }
    ctx->set_verify_mode(options.verify ? asio::ssl::verify_peer : asio::ssl::verify_none);
    return ctx;
}

bool expect_peer(SSL* ssl, const ldap_uri& uri, bool verify) {
    const bool ip = uri.host_is_ip_address();
    // RFC 6066: SNI carries host names only, never address literals.
    if (!ip && SSL_set_tlsext_host_name(ssl, uri.host.c_str()) != 1) {
        return false;
    }
    if (!verify) {
        return true;
    }
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    // Checked by OpenSSL inside chain verification, so a mismatch fails the handshake with
    // X509_V_ERR_HOSTNAME_MISMATCH / IP_ADDRESS_MISMATCH, which describe_handshake_failure names.
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return ip ? X509_VERIFY_PARAM_set1_ip_asc(param, uri.host.c_str()) == 1
              : X509_VERIFY_PARAM_set1_host(param, uri.host.c_str(), uri.host.size()) == 1;
}

std::string leaf_not_after(X509_STORE_CTX* ctx) {
    if (X509_STORE_CTX_get_error_depth(ctx) != 0) {
        return {};
    }
    const X509* cert = X509_STORE_CTX_get_current_cert(ctx);
    return cert != nullptr ? rfc3339(X509_get0_notAfter(cert)) : std::string{};
}

std::optional<peer_certificate> describe_peer(SSL* ssl) {
    const X509* cert = SSL_get0_peer_certificate(ssl);
    if (cert == nullptr) {
        return std::nullopt;
    }
    return peer_certificate{name_text(X509_get_subject_name(cert)),
                            name_text(X509_get_issuer_name(cert)),
                            rfc3339(X509_get0_notAfter(cert)), SSL_get_version(ssl)};
}

}  // namespace scimldap::ldap
