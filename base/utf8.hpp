// UTF-8 validation shared by the filter parser and the LDAP escapers (LDAPv3 strings are UTF-8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scimldap::ldap {

/// Length (1-4) of the well-formed UTF-8 sequence starting at text[at], or 0 when the bytes there
/// are not well-formed (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

/// Whether the whole text is well-formed UTF-8.
bool is_utf8(std::string_view text);

/// The text with each byte that starts no well-formed sequence replaced by U+FFFD, as a decoder
/// would show it: for quoting what a client sent in JSON text, which must be UTF-8.
std::string well_formed_utf8(std::string_view text);

}  // namespace scimldap::ldap
