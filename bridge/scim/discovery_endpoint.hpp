// GET /ServiceProviderConfig, /ResourceTypes[/{name}] and /Schemas[/{urn}] (RFC 7644 §4),
// answered from the requesting tenant's mapping profile.
#pragma once

#include "bridge/scim/request_context.hpp"
#include "bridge/scim/router.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::scim {

/// What the discovery endpoints need besides the tenant's profile.
struct discovery_settings {
    /// filter.maxResults in /ServiceProviderConfig: the most resources one list response holds.
    std::size_t max_results = 1000;
    /// documentationUri in /ServiceProviderConfig; omitted when unset.
    std::optional<std::string> documentation_uri;
    /// Scheme of meta.location when the request has no X-Forwarded-Proto: "https" behind a TLS
    /// listener, else "http".
    std::string default_scheme = "http";
    /// The OAuth token endpoint is served: /ServiceProviderConfig lists the oauth2 scheme.
    bool oauth_client_credentials = false;
    /// What POST /Bulk takes (0 operations: no Bulk).
    std::size_t bulk_max_operations = 0;
    std::size_t bulk_max_payload_bytes = 0;
    /// pagination.defaultPageSize and .cursorTimeout (RFC 9865 §4).
    std::size_t default_page_size = 100;
    std::size_t cursor_timeout_seconds = 3600;
};

/// Registers the five discovery routes on r (GET only, so the router answers POST with 405).
void register_discovery_routes(router& r, discovery_settings settings);

}  // namespace scimldap::scim
