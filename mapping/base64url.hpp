// Base64url without padding (RFC 4648 §5, RFC 7515 §2): tokens, secrets and JWT segments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// URL-safe base64 of raw bytes, without "=" padding: safe in URLs, headers and form bodies.
std::string base64url_encode(std::string_view raw);

/// The bytes of unpadded base64url text; nullopt when it is not that.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace scimldap::mapping
