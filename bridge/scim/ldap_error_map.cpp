#include "bridge/scim/ldap_error_map.hpp"

#include <ldap.h>

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

}  // namespace

error from_ldap(const ldap::op_error& e, const ldap_error_context& c) {
    const std::string op(c.operation);
    switch (e.result_code()) {
        case LDAP_ALREADY_EXISTS:
            return {errc::uniqueness, with_diagnostic(subject(c) + " is already taken", e)};
        case LDAP_NO_SUCH_OBJECT:
            return {errc::not_found, "resource not found"};
        case LDAP_ASSERTION_FAILED:
            // RFC 4528: the entry changed since the version the client (or we) read.
            return {errc::precondition_failed, "the resource was modified since the version given"};
        case LDAP_CONSTRAINT_VIOLATION:
            // slapd's unique overlay answers constraintViolation "some attributes not unique".
            if (e.diagnostic.find("not unique") != std::string::npos) {
                return {errc::uniqueness, with_diagnostic(subject(c) + " is already taken", e)};
            }
            return {errc::invalid_value,
                    with_diagnostic("the directory refused " + subject(c) + " on " + op, e)};
        case LDAP_OBJECT_CLASS_VIOLATION:
        case LDAP_INVALID_SYNTAX:
        case LDAP_UNDEFINED_TYPE:
        case LDAP_TYPE_OR_VALUE_EXISTS:
        case LDAP_NO_SUCH_ATTRIBUTE:
        case LDAP_NAMING_VIOLATION:
        case LDAP_NOT_ALLOWED_ON_RDN:
        case LDAP_INVALID_DN_SYNTAX:
            return {errc::invalid_value,
                    with_diagnostic("the directory refused " + subject(c) + " on " + op, e)};
        case LDAP_INSUFFICIENT_ACCESS:
            // The IdP cannot fix an ACL: tell the operator what right the service account lacks.
            return {errc::internal,
                    with_diagnostic("the bridge's LDAP service account lacks the access right to " +
                                        op + " " + subject(c) +
                                        "; grant it in the directory's olcAccess (see "
                                        "docs/ldap-schema.md)",
                                    e)};
        case LDAP_SIZELIMIT_EXCEEDED:
        case LDAP_ADMINLIMIT_EXCEEDED:
            return {errc::too_many, "the query matches more resources than the directory returns"};
        case LDAP_BUSY:
        case LDAP_UNAVAILABLE:
        case LDAP_SERVER_DOWN:
        case LDAP_CONNECT_ERROR:
        case LDAP_TIMEOUT:
        case LDAP_TIMELIMIT_EXCEEDED:
            return {errc::unavailable, "the directory is unavailable; retry later",
                    directory_retry_after_seconds};
        default:
            return {errc::internal,
                    with_diagnostic("directory error " + std::to_string(e.result_code()) + " (" +
                                        e.code.message() + ") on " + op,
                                    e)};
    }
}

}  // namespace scimldap::scim
