// Throwaway certificates for TLS tests, made with OpenSSL's API (any validity, any names).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace scimldap::testing {

/// A certificate and its key as PEM files.
struct pem_pair {
    std::string cert_file;
    std::string key_file;
};

/// What a server certificate says.
struct certificate_request {
    std::string common_name = "localhost";
    std::vector<std::string> dns_names = {"localhost"};
    std::vector<std::string> ip_addresses = {"127.0.0.1"};
    /// Validity relative to now: [now + not_before, now + not_after].
    std::chrono::seconds not_before = -std::chrono::hours(1);
    std::chrono::seconds not_after = std::chrono::hours(24);
};

/// An EC P-256 CA in a directory; issues server certificates signed by it. Files are written
/// 0600 under dir with the given name prefix.
class test_ca {
public:
    test_ca(std::string dir, std::string name);
    const pem_pair& files() const { return ca_; }
    /// The CA certificate alone (what a client's ca_file holds).
    const std::string& ca_file() const { return ca_.cert_file; }
    /// A server certificate (serverAuth) for the request, signed by this CA.
    pem_pair issue(const std::string& name, const certificate_request& request = {}) const;

private:
    std::string dir_;
    pem_pair ca_;
};

}  // namespace scimldap::testing
