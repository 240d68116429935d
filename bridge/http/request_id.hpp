// Request ids: short random tokens that tie an access-log line to a response (X-Request-Id).
#pragma once

#include <string>

namespace scimldap::http {

/// 16 lowercase hex characters, unique enough to find one request in the logs.
std::string make_request_id();

}  // namespace scimldap::http
