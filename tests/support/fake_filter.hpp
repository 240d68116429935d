// LDAP filters for the in-memory directory: decoded from their BER form (RFC 4511 §4.5.1, as
// the assertion control carries them) and evaluated against an entry.
#pragma once

#include "base/ldap_types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {

/// One filter node. Values compare case-insensitively, DN-looking values as normalised DNs.
struct fake_filter {
    enum class kind {
        all_of,
        any_of,
        negation,
        equal,
        substrings,
        greater_or_equal,
        less_or_equal,
        present,
        approx
    };
    kind what = kind::present;
    std::vector<fake_filter> children;  // all_of, any_of, negation
    std::string attribute;
    std::string value;                   // equal, ordering, approx
    std::optional<std::string> initial;  // substrings
    std::vector<std::string> any;
    std::optional<std::string> final;

    bool matches(const ldap::entry& e) const;
};

/// The filter of an assertion control's value; nullopt when it does not decode.
std::optional<fake_filter> decode_ber_filter(const std::string& ber);

/// The filter of a search request in RFC 4515 string form (encoded by libldap, then decoded).
std::optional<fake_filter> parse_string_filter(const ldap::filter& text);

}  // namespace scimldap::testing
