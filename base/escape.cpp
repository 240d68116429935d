// RFC 4514 (DN strings) and RFC 4515 (filter strings) escaping.
//
// Decisions:
// - Filter values keep well-formed multi-byte UTF-8 as is: RFC 4515 §3 `valueencoding` allows
//   UTF-8 (UTFMB) unescaped, and slapd takes it that way. Only bytes that are not part of a
//   well-formed UTF-8 sequence are escaped as \XX, so the result is always a valid RFC 4515
//   string and still can only match the exact octets given.
// - DN parsing accepts RFC 2253 quoted values ("...") and ';' as an RDN separator, which old
//   servers may return; everything this file produces uses RFC 4514 escapes only.
// - Unescaped `"<>` or NUL inside a value is malformed (RFC 4514 §3): such a DN is refused, not
//   guessed at. `=` may appear unescaped (allowed by RFC 4514) but is escaped on output.
#include "base/escape.hpp"

#include "base/utf8.hpp"

#include <algorithm>

namespace scimldap::ldap {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

bool is_space(char c) {
    return c == ' ';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

int hex_value(char c) {
    if (is_digit(c)) {
        return c - '0';
    }
    const char lower = ascii_lower(c);
    return (lower >= 'a' && lower <= 'f') ? lower - 'a' + 10 : -1;
}

void append_hex_escape(std::string& out, unsigned char byte) {
    out += '\\';
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0xF];
}

// RFC 4514 §3: characters that follow a backslash as themselves.
bool is_escapable_special(char c) {
    constexpr std::string_view specials = "\"+,;<>\\ #=";
    return specials.find(c) != std::string_view::npos;
}

// RFC 4514 §2.4: must be escaped anywhere in a value (plus '=' which we escape for old parsers).
bool must_escape(char c) {
    constexpr std::string_view specials = "\"+,;<>\\=";
    return specials.find(c) != std::string_view::npos;
}

// One attributeTypeAndValue with its value unescaped.
struct ava {
    std::string type;
    std::string value;
};

// One RDN and where it lies in the DN text (without surrounding spaces).
struct parsed_rdn {
    std::vector<ava> avas;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t next = 0;  // first character after the separator that follows the RDN
};

// Parses an RFC 4514 DN (leniently about spaces around separators, RFC 2253 style).
class dn_reader {
public:
    explicit dn_reader(std::string_view text) : text_(text) {}

    std::optional<std::vector<parsed_rdn>> read() {
        std::vector<parsed_rdn> rdns;
        skip_spaces();
        if (at_end()) {
            return rdns;  // the root DN
        }
        while (true) {
            auto rdn = read_rdn();
            if (!rdn) {
                return std::nullopt;
            }
            skip_spaces();
            if (at_end()) {
                rdn->next = pos_;
                rdns.push_back(std::move(*rdn));
                return rdns;
            }
            if (peek() != ',' && peek() != ';') {
                return std::nullopt;
            }
            ++pos_;
            skip_spaces();
            rdn->next = pos_;
            rdns.push_back(std::move(*rdn));
            if (at_end()) {
                return std::nullopt;  // trailing separator
            }
        }
    }

    // The whole text as one value (for dn_unescape_value): nullopt unless all of it is consumed.
    std::optional<std::string> read_whole_value() {
        skip_spaces();
        auto value = read_value();
        skip_spaces();
        if (!value || !at_end()) {
            return std::nullopt;
        }
        return value;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t value_end_ = 0;  // raw end of the last value read, trailing spaces excluded

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    void skip_spaces() {
        while (!at_end() && is_space(text_[pos_])) {
            ++pos_;
        }
    }

    std::optional<parsed_rdn> read_rdn() {
        parsed_rdn rdn;
        rdn.begin = pos_;
        while (true) {
            auto one = read_ava();
            if (!one) {
                return std::nullopt;
            }
            rdn.avas.push_back(std::move(*one));
            rdn.end = value_end_;
            skip_spaces();
            if (peek() != '+') {
                return rdn;
            }
            ++pos_;
            skip_spaces();
        }
    }

    std::optional<ava> read_ava() {
        auto type = read_type();
        if (!type) {
            return std::nullopt;
        }
        skip_spaces();
        if (peek() != '=') {
            return std::nullopt;
        }
        ++pos_;
        skip_spaces();
        auto value = read_value();
        if (!value) {
            return std::nullopt;
        }
        return ava{std::move(*type), std::move(*value)};
    }

    // RFC 4512 descr (ALPHA *(ALPHA / DIGIT / "-")) or numericoid (digits and dots).
    std::optional<std::string> read_type() {
        const std::size_t start = pos_;
        if (is_alpha(peek())) {
            while (!at_end() && (is_alpha(peek()) || is_digit(peek()) || peek() == '-')) {
                ++pos_;
            }
        } else if (is_digit(peek())) {
            while (!at_end() && (is_digit(peek()) || peek() == '.')) {
                ++pos_;
            }
            if (text_[pos_ - 1] == '.') {
                return std::nullopt;
            }
        }
        if (pos_ == start) {
            return std::nullopt;
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    std::optional<std::string> read_value() {
        value_end_ = pos_;
        if (peek() == '#') {
            return read_hexstring();
        }
        if (peek() == '"') {
            return read_quoted();
        }
        return read_escaped();
    }

    // `\` special or `\` hexpair; pos_ is on the backslash.
    bool read_pair(std::string& out) {
        if (pos_ + 1 >= text_.size()) {
            return false;
        }
        const char next = text_[pos_ + 1];
        if (is_escapable_special(next)) {
            out += next;
            pos_ += 2;
            return true;
        }
        if (pos_ + 2 >= text_.size()) {
            return false;
        }
        const int high = hex_value(next);
        const int low = hex_value(text_[pos_ + 2]);
        if (high < 0 || low < 0) {
            return false;
        }
        out += static_cast<char>(high * 16 + low);
        pos_ += 3;
        return true;
    }

    std::optional<std::string> read_escaped() {
        std::string out;
        std::size_t significant = 0;  // out.size() up to the last escaped or non-space character
        while (!at_end()) {
            const char c = peek();
            if (c == ',' || c == '+' || c == ';') {
                break;
            }
            if (c == '\\') {
                if (!read_pair(out)) {
                    return std::nullopt;
                }
                significant = out.size();
                value_end_ = pos_;
                continue;
            }
            if (c == '"' || c == '<' || c == '>' || c == '\0') {
                return std::nullopt;
            }
            out += c;
            ++pos_;
            if (!is_space(c)) {
                significant = out.size();
                value_end_ = pos_;
            }
        }
        out.resize(significant);  // unescaped trailing spaces surround a separator (RFC 2253)
        return out;
    }

    std::optional<std::string> read_quoted() {
        ++pos_;  // opening quote
        std::string out;
        while (!at_end() && peek() != '"') {
            if (peek() == '\\') {
                if (!read_pair(out)) {
                    return std::nullopt;
                }
            } else {
                out += text_[pos_++];
            }
        }
        if (at_end()) {
            return std::nullopt;
        }
        ++pos_;  // closing quote
        value_end_ = pos_;
        return out;
    }

    // `#` followed by the hex of a BER-encoded value (RFC 4514 §2.4): returns its contents.
    std::optional<std::string> read_hexstring() {
        ++pos_;
        std::string ber;
        while (pos_ + 1 < text_.size() && hex_value(text_[pos_]) >= 0 &&
               hex_value(text_[pos_ + 1]) >= 0) {
            ber += static_cast<char>(hex_value(text_[pos_]) * 16 + hex_value(text_[pos_ + 1]));
            pos_ += 2;
        }
        value_end_ = pos_;
        if (!at_end() && peek() != ',' && peek() != '+' && peek() != ';' && !is_space(peek())) {
            return std::nullopt;
        }
        return ber_contents(ber);
    }

    // Contents of one primitive BER TLV with a single-byte tag and a definite length.
    static std::optional<std::string> ber_contents(std::string_view ber) {
        if (ber.size() < 2 || (static_cast<unsigned char>(ber[0]) & 0x1F) == 0x1F) {
            return std::nullopt;
        }
        std::size_t length = static_cast<unsigned char>(ber[1]);
        std::size_t header = 2;
        if (length & 0x80) {
            const std::size_t octets = length & 0x7F;
            if (octets == 0 || octets > 4 || ber.size() < 2 + octets) {
                return std::nullopt;
            }
            length = 0;
            for (std::size_t i = 0; i < octets; ++i) {
                length = (length << 8) | static_cast<unsigned char>(ber[2 + i]);
            }
            header += octets;
        }
        if (ber.size() != header + length) {
            return std::nullopt;
        }
        return std::string(ber.substr(header));
    }
};

// Per RDN, `type=value` parts lowercased, canonically escaped and sorted (the order of the AVAs
// of a multi-valued RDN carries no meaning).
std::optional<std::vector<std::string>> normalized_rdns(const dn& name) {
    auto rdns = dn_reader(name.str()).read();
    if (!rdns) {
        return std::nullopt;
    }
    std::vector<std::string> out;
    out.reserve(rdns->size());
    for (const auto& rdn : *rdns) {
        std::vector<std::string> parts;
        for (const auto& one : rdn.avas) {
            // ASCII lowercasing only: the RDN types we use (uid, cn, ou, dc, o) match
            // case-insensitively; full Unicode case folding would need ICU.
            parts.push_back(ascii_lowercase(one.type) + "=" +
                            dn_escape_value(ascii_lowercase(one.value)));
        }
        std::sort(parts.begin(), parts.end());
        std::string joined;
        for (const auto& part : parts) {
            if (!joined.empty()) {
                joined += '+';
            }
            joined += part;
        }
        out.push_back(std::move(joined));
    }
    return out;
}

}  // namespace

std::string dn_escape_value(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 8);
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        const bool leading = i == 0 && (c == '#' || c == ' ');
        const bool trailing = i + 1 == value.size() && c == ' ';
        if (c == '\0') {
            out += "\\00";
        } else if (must_escape(c) || leading || trailing) {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> dn_unescape_value(std::string_view escaped) {
    return dn_reader(escaped).read_whole_value();
}

std::string filter_escape_value(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 8);
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
            append_hex_escape(out, static_cast<unsigned char>(c));
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(value, i);
        if (length == 0) {
            append_hex_escape(out, static_cast<unsigned char>(c));
            ++i;
            continue;
        }
        out.append(value.substr(i, length));
        i += length;
    }
    return out;
}

std::string make_rdn(std::string_view attribute, std::string_view value) {
    std::string out(attribute);
    out += '=';
    out += dn_escape_value(value);
    return out;
}

dn make_child_dn(std::string_view attribute, std::string_view value, const dn& parent) {
    std::string out = make_rdn(attribute, value);
    if (!parent.empty()) {
        out += ',';
        out += parent.str();
    }
    return dn(std::move(out));
}

std::optional<dn_parts> split_dn(const dn& name) {
    const std::string_view text = name.str();
    auto rdns = dn_reader(text).read();
    if (!rdns || rdns->empty()) {
        return std::nullopt;
    }
    const auto& first = rdns->front();
    return dn_parts{std::string(text.substr(first.begin, first.end - first.begin)),
                    dn(std::string(text.substr(first.next)))};
}

std::optional<std::string> rdn_value(std::string_view rdn, std::string_view expected_attribute) {
    auto rdns = dn_reader(rdn).read();
    if (!rdns || rdns->size() != 1 || rdns->front().avas.size() != 1) {
        return std::nullopt;
    }
    auto& only = rdns->front().avas.front();
    if (ascii_lowercase(only.type) != ascii_lowercase(expected_attribute)) {
        return std::nullopt;
    }
    return std::move(only.value);
}

namespace {

/// The normalised form of a DN made only of `type=value` RDNs whose types follow RFC 4512 as
/// read_type() reads them and whose values hold only letters, digits and `-._@` (what
/// directories mostly hold: uid=user5,ou=People,dc=example,dc=org): its ASCII lower case, which
/// is what the general parse below gives for it, without its allocations. nullopt for anything
/// else (escapes, spaces, multi-valued RDNs, odd types), which takes the general path.
std::optional<std::string> simple_dn_lowercase(std::string_view text) {
    const auto lower = [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    const auto value_char = [](char c) {
        return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '@';
    };
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t type_start = i;
        if (is_alpha(text[i])) {
            while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '-')) {
                ++i;
            }
        } else if (is_digit(text[i])) {
            while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) {
                ++i;
            }
            if (text[i - 1] == '.') {
                return std::nullopt;
            }
        } else {
            return std::nullopt;
        }
        if (i >= text.size() || text[i] != '=') {
            return std::nullopt;
        }
        ++i;
        const std::size_t value_start = i;
        while (i < text.size() && value_char(text[i])) {
            ++i;
        }
        if (i == value_start || (i < text.size() && text[i] != ',')) {
            return std::nullopt;
        }
        for (std::size_t k = type_start; k < i; ++k) {
            out += lower(text[k]);
        }
        if (i < text.size()) {
            ++i;  // the ','
            if (i == text.size()) {
                return std::nullopt;  // a trailing comma
            }
            out += ',';
        }
    }
    return out;
}

}  // namespace

std::string normalize_dn(const dn& name) {
    if (auto simple = simple_dn_lowercase(name.str())) {
        return std::move(*simple);
    }
    const auto rdns = normalized_rdns(name);
    if (!rdns) {
        return name.str();  // malformed: compares equal only to the identical text
    }
    std::string out;
    for (const auto& rdn : *rdns) {
        if (!out.empty()) {
            out += ',';
        }
        out += rdn;
    }
    return out;
}

bool is_within(const dn& name, const dn& base) {
    const auto simple_inner = simple_dn_lowercase(name.str());
    const auto simple_outer = simple_dn_lowercase(base.str());
    if (simple_inner && simple_outer) {
        // No escapes in either: every ',' separates RDNs.
        const std::string& i = *simple_inner;
        const std::string& o = *simple_outer;
        if (o.empty()) {
            return true;
        }
        return i == o ||
               (i.size() > o.size() && i.ends_with(o) && i[i.size() - o.size() - 1] == ',');
    }
    const auto inner = normalized_rdns(name);
    const auto outer = normalized_rdns(base);
    if (!inner || !outer || inner->size() < outer->size()) {
        return false;
    }
    // Whole RDNs from the right, so "ou=People2" is not under "ou=People".
    return std::equal(outer->rbegin(), outer->rend(), inner->rbegin());
}

}  // namespace scimldap::ldap
