// Turns an Authorization header into the tenant view its bearer token opens (or a 401): a
// static token from the config, or an OAuth access token this bridge (or one sharing its
// signing keys) issued.
#pragma once

#include "bridge/auth/access_token.hpp"
#include "bridge/auth/oauth_endpoint.hpp"
#include "bridge/scim/http_message.hpp"
#include "bridge/scim/tenant_view.hpp"
#include "mapping/config.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace scimldap::auth {

/// Why a request was refused. RFC 6750 §3.1: error="invalid_token" only when credentials came.
enum class failure { missing_credentials, invalid_token, expired_token };

/// A refused request: why, and for the log the name of the expired token (never the token).
struct refusal {
    failure why = failure::invalid_token;
    std::string token_name;  // set for an expired static token, else empty
};

/// An accepted token: the configured token or OAuth client name (for logs) and the tenant it
/// opens.
struct identity {
    std::string token_name;
    std::shared_ptr<const scim::tenant_view> tenant;
};

/// Holds the configured token hashes, OAuth clients and signing keys, and the per-tenant views;
/// read-only after construction (a reload builds a new one).
class authenticator {
public:
    /// Builds one view per tenant from the config, and the token endpoint when the config has
    /// OAuth clients (their signing keys' secrets must have been read: bridge/cli's
    /// read_signing_keys). Throws std::invalid_argument if a token or client names an unknown
    /// tenant or a key is missing (the config loader normally refuses that first).
    explicit authenticator(const mapping::config& config);

    /// The identity for an Authorization header value (empty when the header is absent) at now.
    std::variant<identity, refusal> authenticate(
        std::string_view authorization,
        std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

    /// POST /oauth/token, or nullptr when the config has no OAuth clients.
    const token_endpoint* oauth() const { return token_endpoint_ ? &*token_endpoint_ : nullptr; }

private:
    struct entry {
        std::string name;
        std::string sha256;  // lowercase hex
        std::optional<std::chrono::sys_seconds> not_after;
        std::shared_ptr<const scim::tenant_view> tenant;
    };
    struct client {
        std::string name;
        std::shared_ptr<const scim::tenant_view> tenant;
    };

    std::variant<identity, refusal> authenticate_access_token(std::string_view token,
                                                              std::chrono::sys_seconds now) const;

    std::vector<entry> entries_;
    std::map<std::string, client, std::less<>> clients_;  // by client_id
    std::vector<signing_key> keys_;
    std::optional<token_endpoint> token_endpoint_;
};

/// The 401 for a failure: SCIM error body and WWW-Authenticate: Bearer realm="scim"[, error=...].
scim::http_response unauthorized_response(failure why);

}  // namespace scimldap::auth
