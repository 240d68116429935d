// The status line and header block of a response, as they go on the wire.
#pragma once

#include "bridge/scim/http_message.hpp"

#include <string>

namespace scimldap::http {

/// "HTTP/1.1 200 OK\r\n" + every field + "\r\n"; the body follows it unchanged. Why not Beast's
/// serializer: for one small string body it cost ~20,000 instructions a response (buffer
/// sequence views over every field); one string and a two-buffer write cost a tenth of that.
std::string response_head(const scim::http_response& res);

}  // namespace scimldap::http
