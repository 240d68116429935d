// SCIM errors as values: what went wrong (errc) and a detail naming the attribute or position.
#pragma once

#include "base/result_code.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::scim {

/// Protocol-agnostic reasons a request fails. Add the mapping in scim_error.cpp too.
enum class errc {
    // 400 with an RFC 7644 §3.12 scimType
    invalid_filter,
    too_many,
    uniqueness,  // 409
    mutability,
    invalid_syntax,
    invalid_path,
    no_target,
    invalid_value,
    invalid_version,
    sensitive,
    // 400 with an RFC 9865 §2.1 scimType (cursor paging)
    invalid_cursor,
    expired_cursor,
    // 400 without scimType
    bad_request,
    // other statuses
    unauthorized,             // 401
    forbidden,                // 403
    not_found,                // 404
    method_not_allowed,       // 405
    not_acceptable,           // 406
    conflict,                 // 409 without scimType
    request_timeout,          // 408
    precondition_failed,      // 412
    payload_too_large,        // 413
    unsupported_media_type,   // 415
    header_fields_too_large,  // 431 (RFC 6585 §5)
    internal,                 // 500
    not_implemented,          // 501
    unavailable,              // 503 with Retry-After
    too_many_requests,        // 429 with Retry-After (RFC 6585 §4)
};

/// A SCIM error ready to become a response: the reason and a human-readable detail.
struct error {
    errc code;
    std::string detail;
    /// Only for errc::unavailable and errc::too_many_requests.
    std::optional<int> retry_after_seconds = std::nullopt;
    /// The LDAP result code the error was made from (ldap_error_map), when a directory call
    /// failed: callers branch on it, not on the SCIM reason it became.
    std::optional<ldap::rc> ldap_code = std::nullopt;

    bool is(ldap::rc code) const { return ldap_code == code; }
};

/// How an errc goes on the wire: HTTP status and scimType (empty when none).
struct wire_error {
    unsigned status;
    std::string_view scim_type;
};

wire_error to_wire(errc code) noexcept;

template <class T>
using result = boost::system::result<T, error>;

[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace scimldap::scim
