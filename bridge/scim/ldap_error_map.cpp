#include "bridge/scim/ldap_error_map.hpp"

#include <string>

namespace scimldap::scim {
namespace {

std::string subject(const ldap_error_context& c) {
    return c.scim_attribute.empty() ? std::string("the resource")
                                    : "attribute '" + std::string(c.scim_attribute) + "'";
}

std::string with_diagnostic(std::string text, const ldap::op_error& e) {
    if (!e.diagnostic.empty()) {
        text += " (directory: " + e.diagnostic + ")";
    }
    return text;
}

error scim_error_of(const ldap::op_error& e, const ldap_error_context& c) {
    const std::string op(c.operation);
    switch (e.named_code()) {
        case ldap::rc::already_exists:
            return {errc::uniqueness, with_diagnostic(subject(c) + " is already taken", e)};
        case ldap::rc::no_such_object:
            return {errc::not_found, "resource not found"};
        case ldap::rc::assertion_failed:
            // RFC 4528: the entry changed since the version the client (or we) read.
            return {errc::precondition_failed, "the resource was modified since the version given"};
        case ldap::rc::constraint_violation:
            // slapd's unique overlay answers constraintViolation "some attributes not unique"
            // (add, modify) or "non-unique attributes found with (...)" (modrdn).
            if (e.diagnostic.find("not unique") != std::string::npos ||
                e.diagnostic.find("non-unique") != std::string::npos) {
                return {errc::uniqueness, with_diagnostic(subject(c) + " is already taken", e)};
            }
            return {errc::invalid_value,
                    with_diagnostic("the directory refused " + subject(c) + " on " + op, e)};
        case ldap::rc::object_class_violation:
        case ldap::rc::invalid_syntax:
        case ldap::rc::undefined_type:
        case ldap::rc::type_or_value_exists:
        case ldap::rc::no_such_attribute:
        case ldap::rc::naming_violation:
        case ldap::rc::not_allowed_on_rdn:
        case ldap::rc::invalid_dn_syntax:
            return {errc::invalid_value,
                    with_diagnostic("the directory refused " + subject(c) + " on " + op, e)};
        case ldap::rc::insufficient_access:
            // The IdP cannot fix an ACL: tell the operator what right the service account lacks.
            return {errc::internal,
                    with_diagnostic("the bridge's LDAP service account lacks the access right to " +
                                        op + " " + subject(c) +
                                        "; grant it in the directory's olcAccess (see "
                                        "docs/ldap-schema.md)",
                                    e)};
        case ldap::rc::size_limit_exceeded:
        case ldap::rc::admin_limit_exceeded:
            return {errc::too_many, "the query matches more resources than the directory returns"};
        case ldap::rc::busy:
            // The directory's own "busy", or the bridge's bound on outstanding operations: say
            // which, so the operator knows whether to look at slapd or at ldap.max_pending_*.
            return {errc::unavailable, with_diagnostic("the directory is busy; retry later", e),
                    directory_retry_after_seconds};
        case ldap::rc::unavailable:
        case ldap::rc::server_down:
        case ldap::rc::connect_error:
        case ldap::rc::timeout:
        case ldap::rc::time_limit_exceeded:
            return {errc::unavailable, "the directory is unavailable; retry later",
                    directory_retry_after_seconds};
        default:
            return {errc::internal,
                    with_diagnostic("directory error " + std::to_string(e.result_code()) + " (" +
                                        e.code.message() + ") on " + op,
                                    e)};
    }
}

}  // namespace

error from_ldap(const ldap::op_error& e, const ldap_error_context& context) {
    error out = scim_error_of(e, context);
    out.ldap_code = e.named_code();
    return out;
}

}  // namespace scimldap::scim
