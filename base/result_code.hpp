// LDAP result codes by name, so layers above the LDAP client branch on them without <ldap.h>.
#pragma once

#include <string_view>

namespace scimldap::ldap {

/// An LDAP result code (RFC 4511 §4.1.9; negative values are libldap's client-side codes).
/// Only the codes the bridge branches on or maps are named; any other value may occur.
enum class rc : int {
    success = 0,
    time_limit_exceeded = 3,
    size_limit_exceeded = 4,
    admin_limit_exceeded = 11,
    constraint_violation = 19,
    no_such_attribute = 16,
    undefined_type = 17,
    type_or_value_exists = 20,
    invalid_syntax = 21,
    no_such_object = 32,
    invalid_dn_syntax = 34,
    insufficient_access = 50,
    busy = 51,
    unavailable = 52,
    naming_violation = 64,
    object_class_violation = 65,
    not_allowed_on_rdn = 67,
    already_exists = 68,
    assertion_failed = 122,
    server_down = -1,
    timeout = -5,
    connect_error = -11,
};

/// The RFC 4511 §4.1.9 name of a result code ("success", "noSuchObject", "assertionFailed"),
/// libldap's for client-side codes ("serverDown", "timeout"), "other" for anything else, so a
/// metric label built from it has a bounded set of values.
std::string_view result_name(int code);

}  // namespace scimldap::ldap
