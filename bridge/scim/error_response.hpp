// The one place a scim::error becomes an HTTP response (RFC 7644 §3.12 error body).
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/http_message.hpp"

namespace scimldap::scim {

inline constexpr const char* error_schema = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The RFC 7644 §3.12 body: schemas, status as a string, scimType when the reason has one, detail.
std::string error_body(const error& e);

/// A complete response for e: status, application/scim+json body, Retry-After for unavailable.
http_response error_response(const error& e);

}  // namespace scimldap::scim
