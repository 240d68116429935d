// The LDAP result-code error category and the transient/permanent split callers retry on.
#include "bridge/ldap/ldap_error.hpp"

#include <ldap.h>

#include <boost/system/system_error.hpp>

namespace scimldap::ldap {
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
