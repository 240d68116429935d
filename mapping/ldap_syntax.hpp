// Syntactic checks of LDAP names in config and profiles: DNs (RFC 4514), attribute and
// objectClass names (RFC 4512 §1.4), search filters (balanced parentheses).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// RFC 4514 syntax, parsed by libldap's ldap_str2dn; the empty DN is not valid here.
bool is_valid_dn(std::string_view dn);

/// The RDNs of a DN, each normalised ("type=value" with both lowercased, multi-valued RDNs
/// sorted), most specific first; nullopt when the DN does not parse.
std::optional<std::vector<std::string>> normalized_rdns(std::string_view dn);

/// True when `name` equals `base` or lies below it; false when either does not parse.
bool dn_is_within(std::string_view name, std::string_view base);

/// The UUID string form (RFC 4122 §3, 8-4-4-4-12 hex digits), as entryUUID values are
/// (RFC 4530): ids of that syntax are looked up; anything else cannot be an id.
bool is_uuid(std::string_view id);

/// RFC 4512 §1.4 `oid`: a descr (letter, then letters, digits, hyphens) or a numeric OID.
bool is_valid_oid(std::string_view name);

/// An attribute description: oid followed by options (";binary", ";lang-de").
bool is_valid_attribute_description(std::string_view name);

/// A plausible RFC 4515 filter: starts with "(", ends with ")", parentheses balance (ignoring
/// escaped ones), non-empty inside. Full parsing is left to the server.
bool is_plausible_filter(std::string_view filter);

}  // namespace scimldap::mapping
