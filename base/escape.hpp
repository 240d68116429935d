// Escaping of untrusted values: RFC 4514 for DN attribute values, RFC 4515 for filter values.
#pragma once

#include "base/ldap_types.hpp"

#include <string>
#include <string_view>

namespace scimldap::ldap {

/// RFC 4514 §2.4: escapes a value for use inside an RDN (`,+"\<>;=` , NUL, leading `#`/space,
/// trailing space). Non-ASCII UTF-8 is kept as is.
std::string dn_escape_value(std::string_view value);

/// Reverses dn_escape_value (also accepts `\XX` hex pairs); nullopt on malformed input.
std::optional<std::string> dn_unescape_value(std::string_view escaped);

/// RFC 4515 §3: escapes `*()\` and NUL as `\XX` so a value can only ever match itself.
std::string filter_escape_value(std::string_view value);

/// `attr=escaped(value)` — one RDN.
std::string make_rdn(std::string_view attribute, std::string_view value);

/// `attr=escaped(value),parent`.
dn make_child_dn(std::string_view attribute, std::string_view value, const dn& parent);

/// Splits a DN into its RDN (first component, still escaped) and its parent; handles escaped
/// commas. nullopt when the DN is malformed.
struct dn_parts {
    std::string rdn;
    dn parent;
};
std::optional<dn_parts> split_dn(const dn& name);

/// The unescaped value of a single-valued RDN `attr=value` (nullopt when not attr=value).
std::optional<std::string> rdn_value(std::string_view rdn, std::string_view expected_attribute);

/// Normalised comparison key for a DN (lowercased attribute types, unescaped values lowercased,
/// spaces around separators removed): for "is this DN under that base" checks.
std::string normalize_dn(const dn& name);

/// True when name equals base or lies below it (by normalize_dn).
bool is_within(const dn& name, const dn& base);

}  // namespace scimldap::ldap
