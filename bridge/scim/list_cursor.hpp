// The cursor of cursor paging (RFC 9865): where the next page starts, signed so that it can
// only continue the query, in the tenant, that it was issued for.
#pragma once

#include "base/scim_error.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace scimldap::scim {

/// Where a cursor page resumes: after the resource with this key. Pages are ordered by
/// (entryCSN, id) (docs/architecture.md, "Cursor paging").
struct cursor_position {
    std::string csn;  // entryCSN of the last resource returned
    std::string id;   // its id: two entries never share a CSN, but the order stays total
    /// How many microseconds of CSN time the last page's search window spanned: where the next
    /// page's first window starts (a hint, not a promise).
    std::int64_t window_us = 0;
};

/// What a cursor is bound to: the tenant, the resource type, the filter and the order, as one
/// string. A cursor issued for another binding does not verify.
std::string cursor_binding(std::string_view tenant, std::string_view resource_type,
                           std::string_view filter);

/// The cursor text for position: base64url(payload) "." base64url(HMAC-SHA256(key, binding,
/// payload)); only RFC 3986 unreserved characters (RFC 9865 §2).
std::string seal_cursor(const cursor_position& position, std::string_view binding,
                        std::string_view key, std::chrono::sys_seconds expires_at);

/// The position a cursor holds, if key signed it for this binding: errc::invalid_cursor for
/// anything else (forged, altered, another tenant's or query's: one answer for all, RFC 9865
/// §5.2), errc::expired_cursor once `now` reaches its expiry.
result<cursor_position> open_cursor(std::string_view cursor, std::string_view binding,
                                    std::string_view key, std::chrono::sys_seconds now);

}  // namespace scimldap::scim
