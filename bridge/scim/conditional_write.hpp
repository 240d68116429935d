// Versions and conditions shared by the resource endpoints: ETags (RFC 7644 §3.14) and the LDAP
// Assertion control on entryCSN (RFC 4528) that makes a read-modify-write atomic.
#pragma once

#include "bridge/ldap/ldap_types.hpp"
#include "bridge/scim/http_message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::scim {

/// The version inside an entity tag: W/"x" and "x" both give x.
std::string_view etag_value(std::string_view tag);

/// The write succeeds only if the entry still has the entryCSN that was read.
ldap::control assert_version(const std::string& csn);

/// A resource ready to be sent: its JSON text, its ETag, and where it lives.
struct resource_reply {
    std::string json;
    std::optional<std::string> etag;
    std::string location;  // the resource's URL (meta.location), sent as Location with a 201
};

/// A resource response: JSON body, ETag, and for 201 the Location.
http_response resource_response(unsigned status, resource_reply reply);

}  // namespace scimldap::scim
