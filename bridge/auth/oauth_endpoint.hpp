// POST /oauth/token: the OAuth 2.0 client credentials grant (RFC 6749 §4.4), which trades a
// client's id and secret for a short-lived access token bound to the client's tenant.
#pragma once

#include "bridge/auth/access_token.hpp"
#include "bridge/scim/http_message.hpp"
#include "mapping/config.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::auth {

/// Where clients ask for tokens: at the server root, outside the SCIM base path (also accepted
/// under it, for IdPs that only take URLs below the SCIM base).
inline constexpr std::string_view token_endpoint_path = "/oauth/token";

/// True when target's path (query ignored) is token_endpoint_path at the root or under
/// base_path.
bool is_token_endpoint_target(std::string_view target, std::string_view base_path);

/// The token endpoint of one config: immutable after construction, used concurrently.
class token_endpoint {
public:
    /// keys: the first signs; must not be empty. Throws std::invalid_argument if it is.
    token_endpoint(const mapping::oauth_settings& settings, std::vector<signing_key> keys);

    /// The answer to one request and, for the access log, the client that was authenticated
    /// (empty when none was).
    struct outcome {
        scim::http_response response;
        std::string client_name;
        std::string tenant;
    };

    /// Answers req (any method; only POST is served) at the instant now.
    outcome respond(const scim::http_request& req, std::chrono::sys_seconds now) const;

private:
    const mapping::oauth_client_settings* authenticate_client(std::string_view id,
                                                              std::string_view secret) const;

    std::vector<mapping::oauth_client_settings> clients_;
    std::vector<signing_key> keys_;
    std::chrono::seconds lifetime_;
};

}  // namespace scimldap::auth
