// Percent-encoding of request targets (RFC 3986 §2.1) for tests that build query strings and
// path tricks by hand.
#pragma once

#include <string>
#include <string_view>

namespace scimldap::testing {

/// Every byte but the unreserved ones (ALPHA / DIGIT / "-" / "." / "_" / "~") as %XX.
std::string percent_encode(std::string_view s);

/// One level of %XX decoded; a '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view s);

}  // namespace scimldap::testing
