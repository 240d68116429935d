// Which certificate a TLS server serves, told by its SHA-256 fingerprint (OpenSSL).
#pragma once

#include <cstdint>
#include <string>

namespace scimldap::testing {

/// The SHA-256 fingerprint (lowercase hex) of the first certificate in a PEM file; throws when
/// the file holds none.
std::string certificate_file_fingerprint(const std::string& pem_file);

/// The fingerprint of the certificate 127.0.0.1:port presents in a TLS handshake on a new
/// connection (not verified: tests use self-signed ones); throws when the handshake fails.
std::string served_certificate_fingerprint(std::uint16_t port);

}  // namespace scimldap::testing
