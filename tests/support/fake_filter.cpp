#include "tests/support/fake_filter.hpp"

#include "tests/support/ber_tlv.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "bridge/ldap/controls.hpp"

#include <algorithm>

namespace scimldap::testing {
namespace {

std::optional<fake_filter> decode(std::string_view& in);

std::optional<fake_filter> decode_assertion(fake_filter::kind what, std::string_view content) {
    auto type = next_tlv(content);
    auto value = next_tlv(content);
    if (!type || !value) {
        return std::nullopt;
    }
    fake_filter f;
    f.what = what;
    f.attribute = std::string(type->content);
    f.value = std::string(value->content);
    return f;
}

std::optional<fake_filter> decode_substrings(std::string_view content) {
    auto type = next_tlv(content);
    auto parts = next_tlv(content);
    if (!type || !parts) {
        return std::nullopt;
    }
    fake_filter f;
    f.what = fake_filter::kind::substrings;
    f.attribute = std::string(type->content);
    std::string_view rest = parts->content;
    while (!rest.empty()) {
        auto part = next_tlv(rest);
        if (!part) {
            return std::nullopt;
        }
        const std::string text(part->content);
        switch (part->tag) {
            case 0x80:
                f.initial = text;
                break;
            case 0x81:
                f.any.push_back(text);
                break;
            case 0x82:
                f.final = text;
                break;
            default:
                return std::nullopt;
        }
    }
    return f;
}

std::optional<fake_filter> decode(std::string_view& in) {
    auto t = next_tlv(in);
    if (!t) {
        return std::nullopt;
    }
    using kind = fake_filter::kind;
    switch (t->tag) {
        case 0xa0:
        case 0xa1:
        case 0xa2: {
            fake_filter f;
            f.what = t->tag == 0xa0 ? kind::all_of : t->tag == 0xa1 ? kind::any_of : kind::negation;
            std::string_view rest = t->content;
            while (!rest.empty()) {
                auto child = decode(rest);
                if (!child) {
                    return std::nullopt;
                }
                f.children.push_back(std::move(*child));
            }
            return f;
        }
        case 0xa3:
            return decode_assertion(kind::equal, t->content);
        case 0xa4:
            return decode_substrings(t->content);
        case 0xa5:
            return decode_assertion(kind::greater_or_equal, t->content);
        case 0xa6:
            return decode_assertion(kind::less_or_equal, t->content);
        case 0x87: {
            fake_filter f;
            f.what = kind::present;
            f.attribute = std::string(t->content);
            return f;
        }
        case 0xa8:
            return decode_assertion(kind::approx, t->content);
        default:
            return std::nullopt;  // extensible match: not used by the bridge
    }
}

std::string folded(std::string_view v) {
    if (v.find('=') != std::string_view::npos) {
        return ldap::normalize_dn(ldap::dn(std::string(v)));
    }
    return ascii::to_lower_copy(v);
}

bool substring_match(const fake_filter& f, std::string_view value) {
    const std::string v = ascii::to_lower_copy(value);
    std::size_t at = 0;
    if (f.initial) {
        const auto initial = ascii::to_lower_copy(*f.initial);
        if (!v.starts_with(initial)) {
            return false;
        }
        at = initial.size();
    }
    for (const auto& part : f.any) {
        const auto found = v.find(ascii::to_lower_copy(part), at);
        if (found == std::string::npos) {
            return false;
        }
        at = found + part.size();
    }
    if (f.final) {
        const auto final_part = ascii::to_lower_copy(*f.final);
        return v.size() >= at + final_part.size() && v.ends_with(final_part);
    }
    return true;
}

}  // namespace

bool fake_filter::matches(const ldap::entry& e) const {
    switch (what) {
        case kind::all_of:
            return std::all_of(children.begin(), children.end(),
                               [&](const fake_filter& c) { return c.matches(e); });
        case kind::any_of:
            return std::any_of(children.begin(), children.end(),
                               [&](const fake_filter& c) { return c.matches(e); });
        case kind::negation:
            return !children.empty() && !children.front().matches(e);
        default:
            break;
    }
    const auto* values = e.find(attribute);
    if (what == kind::present) {
        return values != nullptr || ascii::iequals(attribute, "objectClass");
    }
    if (values == nullptr) {
        return false;
    }
    return std::any_of(values->begin(), values->end(), [&](const std::string& v) {
        switch (what) {
            case kind::equal:
            case kind::approx:
                return folded(v) == folded(value);
            case kind::greater_or_equal:
                return ascii::to_lower_copy(v) >= ascii::to_lower_copy(value);
            case kind::less_or_equal:
                return ascii::to_lower_copy(v) <= ascii::to_lower_copy(value);
            case kind::substrings:
                return substring_match(*this, v);
            default:
                return false;
        }
    });
}

std::optional<fake_filter> decode_ber_filter(const std::string& ber) {
    std::string_view in = ber;
    return decode(in);
}

std::optional<fake_filter> parse_string_filter(const ldap::filter& text) {
    // libldap's encoder is the parser: the assertion control's value is the filter in BER.
    auto encoded = ldap::controls::assertion(text);
    if (!encoded || !encoded->value) {
        return std::nullopt;
    }
    return decode_ber_filter(*encoded->value);
}

}  // namespace scimldap::testing
