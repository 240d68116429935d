// The credentials of an Authorization header for one scheme (RFC 9110 §11.6.2).
#pragma once

#include <optional>
#include <string_view>

namespace scimldap::auth {

/// RFC 9110 §11.4: credentials = auth-scheme 1*SP token68. The credentials after `scheme`
/// (matched case-insensitively, spaces trimmed), or nullopt when the header uses another scheme
/// or carries nothing after it.
std::optional<std::string_view> credentials_for(std::string_view header, std::string_view scheme);

}  // namespace scimldap::auth
