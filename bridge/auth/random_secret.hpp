// Fresh secrets for bearer tokens, OAuth client secrets and token ids, from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace scimldap::auth {

/// Bytes of entropy in a bearer token or client secret: 256 bits, as RFC 6750 §5.2 advises
/// ("at least 2^(-128)" guessing odds) with room to spare.
inline constexpr std::size_t secret_bytes = 32;

/// `bytes` random bytes from RAND_bytes as unpadded base64url (43 characters for 32 bytes).
/// Throws std::runtime_error when OpenSSL cannot give random bytes (never a weaker fallback).
std::string random_secret(std::size_t bytes = secret_bytes);

}  // namespace scimldap::auth
