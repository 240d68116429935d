#include "mapping/ldap_syntax.hpp"

#include "base/ascii_case.hpp"

#include <ldap.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace scimldap::mapping {
namespace {

bool is_alpha(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

struct dn_deleter {
    void operator()(LDAPDN dn) const { ldap_dnfree(dn); }
};
using dn_ptr = std::unique_ptr<LDAPRDN, dn_deleter>;

dn_ptr parse(std::string_view text) {
    const std::string copy(text);  // ldap_str2dn wants a NUL-terminated string
    LDAPDN dn = nullptr;
    if (ldap_str2dn(copy.c_str(), &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS) {
        return nullptr;
    }
    return dn_ptr(dn);
}

std::string_view view(const berval& bv) {
    return {bv.bv_val, bv.bv_len};
}

bool is_descr(std::string_view s) {
    if (s.empty() || !is_alpha(s[0])) {
        return false;
    }
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == '-'; });
}

bool is_numeric_oid(std::string_view s) {
    std::size_t start = 0;
    int parts = 0;
    while (start <= s.size()) {
        const std::size_t dot = std::min(s.find('.', start), s.size());
        const std::string_view part = s.substr(start, dot - start);
        if (part.empty() || !std::all_of(part.begin(), part.end(), is_digit) ||
            (part.size() > 1 && part[0] == '0')) {
            return false;
        }
        ++parts;
        start = dot + 1;
    }
    return parts >= 2;
}

}  // namespace

bool is_valid_dn(std::string_view dn) {
    if (dn.empty()) {
        return false;
    }
    const auto parsed = parse(dn);
    return parsed != nullptr && parsed.get()[0] != nullptr;
}

std::optional<std::vector<std::string>> normalized_rdns(std::string_view dn) {
    const auto parsed = parse(dn);
    if (dn.empty() || parsed == nullptr) {
        return std::nullopt;
    }
    std::vector<std::string> rdns;
    for (LDAPRDN* rdn = parsed.get(); *rdn != nullptr; ++rdn) {
        std::vector<std::string> avas;
        for (LDAPAVA** ava = *rdn; *ava != nullptr; ++ava) {
            avas.push_back(ascii::to_lower_copy(view((*ava)->la_attr)) + "=" +
                           ascii::to_lower_copy(view((*ava)->la_value)));
        }
        std::sort(avas.begin(), avas.end());
        std::string joined;
        for (const auto& a : avas) {
            joined += joined.empty() ? "" : "+";
            joined += a;
        }
        rdns.push_back(std::move(joined));
    }
    return rdns;
}

bool dn_is_within(std::string_view name, std::string_view base) {
    const auto n = normalized_rdns(name);
    const auto b = normalized_rdns(base);
    if (!n || !b || b->size() > n->size()) {
        return false;
    }
    return std::equal(b->rbegin(), b->rend(), n->rbegin());
}

bool is_uuid(std::string_view id) {
    if (id.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) {
            return false;
        }
    }
    return true;
}

bool is_valid_oid(std::string_view name) {
    return is_descr(name) || is_numeric_oid(name);
}

bool is_valid_attribute_description(std::string_view name) {
    const std::size_t semi = name.find(';');
    if (!is_valid_oid(name.substr(0, semi))) {
        return false;
    }
    if (semi == std::string_view::npos) {
        return true;
    }
    std::string_view rest = name.substr(semi + 1);
    while (true) {
        const std::size_t next = rest.find(';');
        const std::string_view option = rest.substr(0, next);
        if (option.empty() || !std::all_of(option.begin(), option.end(), [](char c) {
                return is_alpha(c) || is_digit(c) || c == '-';
            })) {
            return false;
        }
        if (next == std::string_view::npos) {
            return true;
        }
        rest = rest.substr(next + 1);
    }
}

bool is_plausible_filter(std::string_view filter) {
    if (filter.size() < 3 || filter.front() != '(' || filter.back() != ')') {
        return false;
    }
    int depth = 0;
    for (std::size_t i = 0; i < filter.size(); ++i) {
        const char c = filter[i];
        if (c == '\\') {
            ++i;  // RFC 4515 escapes are \XX; skipping the next character is enough here
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth < 0) {
                return false;
            }
            if (depth == 0 && i + 1 != filter.size()) {
                return false;  // "(a=b)(c=d)" is two filters, not one
            }
        }
    }
    return depth == 0;
}

}  // namespace scimldap::mapping
