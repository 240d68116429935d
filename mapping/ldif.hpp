// LDIF (RFC 2849) for one entry: printing an add record and reading an entry back.
#pragma once

#include "base/ldap_types.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace scimldap::mapping {

/// "dn: …" then one "attr: value" line per value; values that are not RFC 2849 SAFE-STRINGs
/// (leading space/colon/'<', non-ASCII, control characters, trailing space) as "attr:: base64".
/// With readable_comments, each base64 line that holds printable UTF-8 is preceded by a
/// "# attr: value" comment, for people reading it.
std::string to_ldif(const ldap::dn& name, const std::vector<ldap::attribute>& attributes,
                    bool readable_comments = false);

/// Why an LDIF text is not one entry.
struct ldif_error {
    std::size_t line;
    std::string message;
};

[[noreturn]] void throw_exception_from_error(const ldif_error& e,
                                             const boost::source_location& loc);

/// The first entry of an LDIF text (comments, folded lines and base64 values handled; a
/// "changetype" other than add is refused).
boost::system::result<ldap::entry, ldif_error> parse_ldif_entry(std::string_view text);

}  // namespace scimldap::mapping
