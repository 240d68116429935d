// OAuth client authentication by HTTP Basic (RFC 6749 §2.3.1, RFC 7617).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::auth {

/// A client's id and secret as presented (never logged: the secret is one).
struct client_credentials {
    std::string client_id;
    std::string client_secret;
};

/// True when the Authorization header uses the Basic scheme (case-insensitive).
bool is_basic_authorization(std::string_view header);

/// RFC 6749 §2.3.1: "Basic " base64(form-encoded id ":" form-encoded secret). nullopt when the
/// header is not that: another scheme, broken base64, no ":", a broken %-escape, an empty id.
std::optional<client_credentials> parse_basic_credentials(std::string_view header);

}  // namespace scimldap::auth
