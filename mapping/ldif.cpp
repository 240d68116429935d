#include "mapping/ldif.hpp"

#include "base/ascii_case.hpp"
#include "mapping/base64.hpp"

#include <stdexcept>
#include <vector>

namespace scimldap::mapping {
namespace {

bool safe_string(std::string_view v) {
    if (v.empty()) {
        return true;
    }
    if (v.front() == ' ' || v.front() == ':' || v.front() == '<' || v.back() == ' ') {
        return false;
    }
    for (unsigned char c : v) {
        if (c == 0 || c == '\n' || c == '\r' || c >= 0x80) {
            return false;
        }
    }
    return true;
}

bool printable(std::string_view v) {
    for (unsigned char c : v) {
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

std::string line(std::string_view attr, std::string_view value, bool comment) {
    if (safe_string(value)) {
        return std::string(attr) + ": " + std::string(value) + "\n";
    }
    std::string out;
    if (comment && printable(value)) {
        out = "# " + std::string(attr) + ": " + std::string(value) + "\n";
    }
    return out + std::string(attr) + ":: " + base64_encode(value) + "\n";
}

/// Logical lines: folded continuation lines (RFC 2849: a leading space) joined, comments out.
std::vector<std::pair<std::size_t, std::string>> logical_lines(std::string_view text) {
    std::vector<std::pair<std::size_t, std::string>> out;
    std::size_t number = 0;
    bool in_comment = false;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view l = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (!l.empty() && l.back() == '\r') {
            l.remove_suffix(1);
        }
        if (!l.empty() && l.front() == ' ') {
            if (!in_comment && !out.empty()) {
                out.back().second += l.substr(1);
            }
            continue;
        }
        in_comment = !l.empty() && l.front() == '#';
        if (in_comment) {
            continue;
        }
        out.emplace_back(number, std::string(l));
    }
    return out;
}

}  // namespace

void throw_exception_from_error(const ldif_error& e, const boost::source_location&) {
    throw std::runtime_error("line " + std::to_string(e.line) + ": " + e.message);
}

std::string to_ldif(const ldap::dn& name, const std::vector<ldap::attribute>& attributes,
                    bool readable_comments) {
    std::string out = line("dn", name.str(), readable_comments);
    for (const auto& a : attributes) {
        for (const auto& v : a.values) {
            out += line(a.name, v, readable_comments);
        }
    }
    return out;
}

boost::system::result<ldap::entry, ldif_error> parse_ldif_entry(std::string_view text) {
    ldap::entry e;
    bool started = false;
    for (const auto& [number, l] : logical_lines(text)) {
        if (l.empty()) {
            if (started) {
                break;  // the blank line after the first entry
            }
            continue;
        }
        const std::size_t colon = l.find(':');
        if (colon == std::string::npos || colon == 0) {
            return ldif_error{number, "expected \"attribute: value\""};
        }
        const std::string attr = l.substr(0, colon);
        std::string_view rest = std::string_view(l).substr(colon + 1);
        std::string value;
        if (!rest.empty() && rest.front() == ':') {
            rest.remove_prefix(1);
            while (!rest.empty() && rest.front() == ' ') {
                rest.remove_prefix(1);
            }
            auto decoded = base64_decode(rest);
            if (!decoded) {
                return ldif_error{number, "invalid base64 value"};
            }
            value = std::move(*decoded);
        } else {
            while (!rest.empty() && rest.front() == ' ') {
                rest.remove_prefix(1);
            }
            value = std::string(rest);
        }
        if (!started) {
            if (ascii::iequals(attr, "version")) {
                continue;
            }
            if (!ascii::iequals(attr, "dn")) {
                return ldif_error{number, "an entry starts with \"dn:\""};
            }
            e.name = ldap::dn(value);
            started = true;
            continue;
        }
        if (ascii::iequals(attr, "changetype")) {
            if (!ascii::iequals(value, "add")) {
                return ldif_error{number, "only entries (or changetype: add) can be read"};
            }
            continue;
        }
        auto it = std::find_if(e.attributes.begin(), e.attributes.end(),
                               [&](const auto& a) { return ascii::iequals(a.name, attr); });
        if (it == e.attributes.end()) {
            e.attributes.push_back({attr, {std::move(value)}});
        } else {
            it->values.push_back(std::move(value));
        }
    }
    if (!started) {
        return ldif_error{1, "no entry (expected a line \"dn: …\")"};
    }
    return e;
}

}  // namespace scimldap::mapping
