// HMAC-SHA256 (RFC 2104): what signs OAuth access tokens and list cursors.
#pragma once

#include <string>
#include <string_view>

namespace scimldap::mapping {

/// The 32-byte MAC of data under key. Throws std::runtime_error when OpenSSL cannot compute it.
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace scimldap::mapping
