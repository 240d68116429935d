// LDAP result codes (RFC 4511 §4.1.9 plus libldap's negative client codes) as an error_code.
#pragma once

#include "base/result_code.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace scimldap::ldap {

/// The error_category whose values are LDAP result codes (LDAP_NO_SUCH_OBJECT, LDAP_TIMEOUT, ...).
const boost::system::error_category& ldap_category() noexcept;

inline boost::system::error_code make_error(int ldap_result_code) {
    return {ldap_result_code, ldap_category()};
}

/// A failed LDAP operation: the result code and the server's diagnostic message.
struct op_error {
    boost::system::error_code code;
    std::string diagnostic;
    std::string matched_dn;

    int result_code() const { return code.value(); }
    /// The result code by name (compare with ldap::rc values).
    ldap::rc named_code() const { return static_cast<ldap::rc>(code.value()); }
    /// busy, unavailable, server down, connect error, timeout: worth retrying later (503).
    bool is_transient() const;
};

/// Required by boost::system::result<T, op_error>::value().
[[noreturn]] void throw_exception_from_error(const op_error& e, const boost::source_location& loc);

/// The outcome of an LDAP-layer call: a value or the LDAP error.
template <class T>
using result = boost::system::result<T, op_error>;

}  // namespace scimldap::ldap
