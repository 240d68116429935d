// Turns an Authorization header into the tenant view its bearer token opens (or a 401).
#pragma once

#include "bridge/scim/http_message.hpp"
#include "bridge/scim/tenant_view.hpp"
#include "mapping/config.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace scimldap::auth {

/// Why a request was refused. RFC 6750 §3.1: error="invalid_token" only when credentials came.
enum class failure { missing_credentials, invalid_token };

/// An accepted token: the configured token name (for logs) and the tenant it opens.
struct identity {
    std::string token_name;
    std::shared_ptr<const scim::tenant_view> tenant;
};

/// Holds the configured token hashes and the per-tenant views; read-only after construction.
class authenticator {
public:
    /// Builds one view per tenant from the config. Throws std::invalid_argument if a token names
    /// an unknown tenant (the config loader normally refuses that first).
    explicit authenticator(const mapping::config& config);

    /// The identity for an Authorization header value (empty when the header is absent).
    std::variant<identity, failure> authenticate(std::string_view authorization) const;

private:
    struct entry {
        std::string name;
        std::string sha256;  // lowercase hex
        std::shared_ptr<const scim::tenant_view> tenant;
    };
    std::vector<entry> entries_;
};

/// The 401 for a failure: SCIM error body and WWW-Authenticate: Bearer realm="scim"[, error=...].
scim::http_response unauthorized_response(failure why);

}  // namespace scimldap::auth
