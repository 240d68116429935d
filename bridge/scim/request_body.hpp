// Request-side helpers shared by the resource endpoints: the JSON body and preconditions.
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/request_context.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace scimldap::scim {

/// The request body as JSON; 400 invalidSyntax with the parser's position when it is not.
result<boost::json::value> parse_json_body(const request_context& ctx);

/// The If-Match header's entity tag when the client sent one ("*" counts as none).
std::optional<std::string> if_match(const request_context& ctx);

}  // namespace scimldap::scim
