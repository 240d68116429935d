// The absolute base URL of the SCIM service as the client addressed it (meta.location, $ref).
#pragma once

#include "bridge/scim/request_context.hpp"

#include <string>
#include <string_view>

namespace scimldap::scim {

/// The absolute SCIM base URL a client used ("https://host:8443/scim/v2"): scheme from
/// X-Forwarded-Proto (http or https) or default_scheme, host from Host. Just base_path when the
/// Host header is missing or not a valid authority.
std::string request_base_url(const request_context& ctx, std::string_view base_path,
                             std::string_view default_scheme);

}  // namespace scimldap::scim
