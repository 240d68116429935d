// The one table from LDAP result codes to SCIM errors (status, scimType, detail).
#pragma once

#include "base/scim_error.hpp"
#include "bridge/ldap/ldap_error.hpp"

#include <string_view>

namespace scimldap::scim {

/// What the failed LDAP operation was about, so the detail can name it for the client.
struct ldap_error_context {
    std::string_view operation;       // "create", "read", "replace", "rename", "delete", ...
    std::string_view scim_attribute;  // the SCIM attribute concerned, when known
};

/// Seconds a client is told to wait when the directory is unavailable.
inline constexpr int directory_retry_after_seconds = 5;

/// entryAlreadyExists → 409 uniqueness; noSuchObject → 404; schema violations → 400
/// invalidValue naming the SCIM attribute; insufficientAccessRights → 500 telling the operator
/// which right is missing; busy/unavailable/down/timeout → 503 with Retry-After.
error from_ldap(const ldap::op_error& e, const ldap_error_context& context);

}  // namespace scimldap::scim
