// The HTTP request and response types the SCIM layer consumes and produces (Beast messages).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace scimldap::scim {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

/// RFC 7644 §3.1: every SCIM response body is application/scim+json.
inline constexpr const char* scim_content_type = "application/scim+json";

}  // namespace scimldap::scim
