// The LDAP result-code error category and the transient/permanent split callers retry on.
#include "bridge/ldap/ldap_error.hpp"

#include <ldap.h>

#include <boost/system/system_error.hpp>

namespace scimldap::ldap {

// ldap::rc names libldap's values: checked here, where <ldap.h> is included.
static_assert(static_cast<int>(rc::success) == LDAP_SUCCESS);
static_assert(static_cast<int>(rc::time_limit_exceeded) == LDAP_TIMELIMIT_EXCEEDED);
static_assert(static_cast<int>(rc::size_limit_exceeded) == LDAP_SIZELIMIT_EXCEEDED);
static_assert(static_cast<int>(rc::admin_limit_exceeded) == LDAP_ADMINLIMIT_EXCEEDED);
static_assert(static_cast<int>(rc::constraint_violation) == LDAP_CONSTRAINT_VIOLATION);
static_assert(static_cast<int>(rc::no_such_attribute) == LDAP_NO_SUCH_ATTRIBUTE);
static_assert(static_cast<int>(rc::undefined_type) == LDAP_UNDEFINED_TYPE);
static_assert(static_cast<int>(rc::type_or_value_exists) == LDAP_TYPE_OR_VALUE_EXISTS);
static_assert(static_cast<int>(rc::invalid_syntax) == LDAP_INVALID_SYNTAX);
static_assert(static_cast<int>(rc::no_such_object) == LDAP_NO_SUCH_OBJECT);
static_assert(static_cast<int>(rc::invalid_dn_syntax) == LDAP_INVALID_DN_SYNTAX);
static_assert(static_cast<int>(rc::insufficient_access) == LDAP_INSUFFICIENT_ACCESS);
static_assert(static_cast<int>(rc::busy) == LDAP_BUSY);
static_assert(static_cast<int>(rc::unavailable) == LDAP_UNAVAILABLE);
static_assert(static_cast<int>(rc::naming_violation) == LDAP_NAMING_VIOLATION);
static_assert(static_cast<int>(rc::object_class_violation) == LDAP_OBJECT_CLASS_VIOLATION);
static_assert(static_cast<int>(rc::not_allowed_on_rdn) == LDAP_NOT_ALLOWED_ON_RDN);
static_assert(static_cast<int>(rc::already_exists) == LDAP_ALREADY_EXISTS);
static_assert(static_cast<int>(rc::assertion_failed) == LDAP_ASSERTION_FAILED);
static_assert(static_cast<int>(rc::server_down) == LDAP_SERVER_DOWN);
static_assert(static_cast<int>(rc::timeout) == LDAP_TIMEOUT);
static_assert(static_cast<int>(rc::connect_error) == LDAP_CONNECT_ERROR);

namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "ldap"; }
    std::string message(int code) const override { return ldap_err2string(code); }
};

}  // namespace

const boost::system::error_category& ldap_category() noexcept {
    static const category instance;
    return instance;
}

bool op_error::is_transient() const {
    if (code.category() != ldap_category()) {
        return false;
    }
    switch (code.value()) {
        case LDAP_BUSY:
        case LDAP_UNAVAILABLE:
        case LDAP_SERVER_DOWN:
        case LDAP_CONNECT_ERROR:
        case LDAP_TIMEOUT:
        case LDAP_X_CONNECTING:
            return true;
        // unwillingToPerform (53) is deliberately permanent: slapd uses it for refusals that a
        // retry cannot change (read-only database, operation not allowed by policy, no global
        // superior). Retrying would only turn a clear 4xx/5xx into a misleading 503.
        default:
            return false;
    }
}

void throw_exception_from_error(const op_error& e, const boost::source_location& loc) {
    std::string what = e.diagnostic;
    if (!e.matched_dn.empty()) {
        what += " (matched DN: " + e.matched_dn + ")";
    }
    boost::throw_exception(boost::system::system_error(e.code, what), loc);
}

}  // namespace scimldap::ldap
