// Builds a SCIM JSON response (status + application/scim+json body) for handlers.
#pragma once

#include "bridge/scim/http_message.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace scimldap::scim {

/// A response with the given status and an already serialized JSON body.
http_response json_response(unsigned status, std::string body);

/// A response with the given status and body serialized from JSON.
http_response json_response(unsigned status, const boost::json::value& body);

}  // namespace scimldap::scim
