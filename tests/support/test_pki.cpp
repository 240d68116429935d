#include "tests/support/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace scimldap::testing {
namespace {

struct key_free {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct cert_free {
    void operator()(X509* c) const { X509_free(c); }
};
struct file_close {
    void operator()(FILE* f) const { std::fclose(f); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_free>;
using cert_ptr = std::unique_ptr<X509, cert_free>;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("test PKI: ") + what + " failed");
    }
}

key_ptr new_key() {
    key_ptr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC key generation");
    return key;
}

std::unique_ptr<FILE, file_close> open_private(const std::string& path) {
    std::unique_ptr<FILE, file_close> f(std::fopen(path.c_str(), "w"));
    check(f != nullptr, "opening a PEM file");
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return f;
}

void write_key(EVP_PKEY* key, const std::string& path) {
    auto f = open_private(path);
    check(PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "writing a key");
}

void write_cert(X509* cert, const std::string& path) {
    auto f = open_private(path);
    check(PEM_write_X509(f.get(), cert) == 1, "writing a certificate");
}

key_ptr read_key(const std::string& path) {
    std::unique_ptr<FILE, file_close> f(std::fopen(path.c_str(), "r"));
    check(f != nullptr, "opening the CA key");
    key_ptr key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "reading the CA key");
    return key;
}

cert_ptr read_cert(const std::string& path) {
    std::unique_ptr<FILE, file_close> f(std::fopen(path.c_str(), "r"));
    check(f != nullptr, "opening the CA certificate");
    cert_ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    check(cert != nullptr, "reading the CA certificate");
    return cert;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "making an extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

cert_ptr new_cert(EVP_PKEY* key, const std::string& common_name, std::chrono::seconds not_before,
                  std::chrono::seconds not_after) {
    static long serial = 1;
    cert_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()),
                     static_cast<long>(std::time(nullptr)) * 1000 + serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before.count()));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(not_after.count()));
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    return cert;
}

}  // namespace

test_ca::test_ca(std::string dir, std::string name) : dir_(std::move(dir)) {
    ca_ = {dir_ + "/" + name + "-ca.crt", dir_ + "/" + name + "-ca.key"};
    const key_ptr key = new_key();
    const cert_ptr cert = new_cert(key.get(), name + " test CA", -std::chrono::hours(24),
                                   std::chrono::hours(24 * 30));
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing the CA");
    write_key(key.get(), ca_.key_file);
    write_cert(cert.get(), ca_.cert_file);
}

pem_pair test_ca::issue(const std::string& name, const certificate_request& request) const {
    const pem_pair out{dir_ + "/" + name + ".crt", dir_ + "/" + name + ".key"};
    const key_ptr ca_key = read_key(ca_.key_file);
    const cert_ptr ca_cert = read_cert(ca_.cert_file);
    const key_ptr key = new_key();
    const cert_ptr cert =
        new_cert(key.get(), request.common_name, request.not_before, request.not_after);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
    std::string names;
    for (const auto& dns : request.dns_names) {
        names += (names.empty() ? "DNS:" : ",DNS:") + dns;
    }
    for (const auto& ip : request.ip_addresses) {
        names += (names.empty() ? "IP:" : ",IP:") + ip;
    }
    if (!names.empty()) {
        add_extension(cert.get(), ca_cert.get(), NID_subject_alt_name, names);
    }
    add_extension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
    add_extension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid");
    check(X509_sign(cert.get(), ca_key.get(), EVP_sha256()) > 0, "signing a certificate");
    write_key(key.get(), out.key_file);
    write_cert(cert.get(), out.cert_file);
    return out;
}

}  // namespace scimldap::testing
