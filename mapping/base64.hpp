// Base64 (RFC 4648 §4) for binary LDAP values in SCIM and in LDIF.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Padded base64 of raw bytes.
std::string base64_encode(std::string_view raw);
/// The bytes of padded base64 text; nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace scimldap::mapping
