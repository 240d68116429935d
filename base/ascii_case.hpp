#pragma once
// ASCII case folding for names and case-insensitive values: LDAP descriptors (RFC 4512 §1.4),
// SCIM attribute names (RFC 7643 §2.1), ids, keywords.
//
// Why not boost::algorithm::iequals: with its default argument it copies the global std::locale
// and looks up the ctype facet (a dynamic_cast) for every character; on the lookup path that was
// 40 % of the bridge's CPU. The global locale is never changed here, so its toupper only ever
// folded ASCII and equality answers are the same. icompare orders bytes as unsigned, so UTF-8
// text sorts in code point order after ASCII (boost compared signed chars).

#include <algorithm>
#include <string>
#include <string_view>

namespace scimldap::ascii {

constexpr char to_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    // Different names mostly differ in their first letter (an entry's attributes searched for
    // one name): decided before calling memcmp.
    if (!a.empty() && a[0] != b[0] && to_lower(a[0]) != to_lower(b[0])) {
        return false;
    }
    if (a == b) {  // the usual case (names written as defined): one memcmp
        return true;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i] && to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

/// Three-way comparison ignoring ASCII case: <0, 0, >0.
constexpr int icompare(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(to_lower(a[i]));
        const auto y = static_cast<unsigned char>(to_lower(b[i]));
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

inline void to_lower_in_place(std::string& s) noexcept {
    for (auto& c : s) {
        c = to_lower(c);
    }
}

inline std::string to_lower_copy(std::string_view s) {
    std::string out(s);
    to_lower_in_place(out);
    return out;
}

}  // namespace scimldap::ascii
