// Bearer tokens are kept and compared only as SHA-256 hashes, in constant time.
#pragma once

#include <string>
#include <string_view>

namespace scimldap::auth {

/// Lowercase hex SHA-256 of the token (what the config's tokens[].sha256 holds).
std::string hash_token(std::string_view token);

/// Compares two equally long byte strings without an early exit (CRYPTO_memcmp). Strings of
/// different length are unequal; lengths are not secret here (every stored hash is 64 chars).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace scimldap::auth
