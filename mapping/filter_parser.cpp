// Recursive-descent parser for RFC 7644 §3.4.2.2 filters (Figure 1, with errata 7319 and 7322:
// "not" may be followed by a space, and a bracketed valFilter may use and/or/not/parentheses but
// no nested value path) and for §3.5.2 PATCH paths.
//
// Grammar decisions (see docs/filters.md):
// - Operators, and/or/not and attribute names are case-insensitive (RFC 7644 §3.4.2.2).
// - true/false/null are accepted in any case: JSON spells them in lowercase, but an unquoted word
//   can mean nothing else here and IdPs capitalise booleans (Entra sends "True"/"False").
// - Unquoted string values (Okta's 2017 SPEC test `userName eq x@y`, Entra's doc example
//   `externalId eq jyoung`) are an error: the RFC requires JSON strings, and guessing where an
//   unquoted value ends would make `a eq b and c` ambiguous.
// - Whitespace between tokens: any run of spaces (also tab/CR/LF) is accepted, and none is needed
//   where a delimiter already separates tokens (`not(`, `eq"x"`).
// - `attr[filter].sub op value` (Entra) is not in Figure 1; it is read as
//   `attr[filter and sub op value]`, which means the same thing and prints back in that form.
#include "mapping/filter_parser.hpp"

#include "mapping/json_text.hpp"

#include "base/ascii_case.hpp"
#include "base/utf8.hpp"

#include <boost/throw_exception.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

namespace scimldap::mapping {

void throw_exception_from_error(const parse_error& e, const boost::source_location& loc) {
    boost::throw_exception(std::invalid_argument(e.message), loc);
}

namespace {

constexpr std::array<std::string_view, 9> op_names = {"eq", "ne", "co", "sw", "ew",
                                                      "gt", "ge", "lt", "le"};
constexpr std::string_view op_list = "(eq, ne, co, sw, ew, pr, gt, ge, lt, le)";
constexpr std::string_view value_kinds = "(a \"quoted string\", number, true, false or null)";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Characters that may appear in `[schemaURN ":"] attrName ["." subAttr]`.
bool is_path_char(char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '$' ||
           c == '/';
}

// Characters that end an unquoted token (operator, keyword, bare value).
bool is_delimiter(char c) {
    return is_space(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"';
}

// RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar); "$ref" is the RFC's own exception to that rule.
bool is_attr_name(std::string_view name) {
    if (name == "$ref") {
        return true;
    }
    if (name.empty() || !is_alpha(name.front())) {
        return false;
    }
    for (const char c : name) {
        if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_') {
            return false;
        }
    }
    return true;
}

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::string at_position(std::size_t position) {
    return " at position " + std::to_string(position);
}

int hex_value(char c) {
    if (is_digit(c)) {
        return c - '0';
    }
    const char lower = ascii::to_lower(c);
    if (lower >= 'a' && lower <= 'f') {
        return lower - 'a' + 10;
    }
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// One parse of one text. Errors are recorded once in error_; every step returns nullopt/false
// after that, so the first (leftmost) problem is the one reported.
class parser {
public:
    parser(std::string_view text, const parse_limits& limits) : text_(text), limits_(limits) {}

    boost::system::result<filter_node, parse_error> filter() {
        if (!check_length("filter")) {
            return *error_;
        }
        skip_spaces();
        if (at_end()) {
            return parse_error{pos_, "empty filter" + at_position(pos_)};
        }
        auto node = parse_or(false);
        if (node && expect_end("the end of the filter")) {
            return std::move(*node);
        }
        return *error_;
    }

    boost::system::result<patch_path, parse_error> path() {
        if (!check_length("path")) {
            return *error_;
        }
        skip_spaces();
        patch_path result;
        const std::size_t start = pos_;
        auto attribute = parse_attr_path("an attribute path");
        if (!attribute) {
            return *error_;
        }
        result.attribute = std::move(*attribute);
        if (peek() == '[') {
            if (!result.attribute.sub_attribute.empty()) {
                return fail(pos_,
                            "a value filter \"[...]\" must follow a multi-valued "
                            "attribute, not the sub-attribute " +
                                quoted(to_string(result.attribute)));
            }
            auto inner = parse_brackets(start);
            if (!inner) {
                return *error_;
            }
            result.value_filter = std::move(*inner);
            if (peek() == '.') {
                auto sub = parse_sub_attribute_after_brackets();
                if (!sub) {
                    return *error_;
                }
                result.sub_attribute = std::move(sub->first);
            }
        }
        skip_spaces();
        if (!at_end()) {
            return fail(pos_, "unexpected " + found_token() + " in path" + at_position(pos_) +
                                  "; expected \"[\", \".\" or the end of the path");
        }
        return result;
    }

private:
    std::string_view text_;
    parse_limits limits_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
    std::size_t nodes_ = 0;
    std::optional<parse_error> error_;

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    void skip_spaces() {
        while (!at_end() && is_space(text_[pos_])) {
            ++pos_;
        }
    }

    parse_error fail(std::size_t position, std::string message) {
        if (!error_) {
            error_ = parse_error{position, std::move(message)};
        }
        return *error_;
    }

    bool check_length(std::string_view what) {
        if (text_.size() > limits_.max_length) {
            fail(limits_.max_length, std::string(what) + " is longer than " +
                                         std::to_string(limits_.max_length) + " characters" +
                                         at_position(limits_.max_length));
            return false;
        }
        return true;
    }

    // The token at pos_ for messages ("found ..."), shortened so a message stays readable.
    std::string found_token() const {
        if (at_end()) {
            return "end of text";
        }
        std::size_t end = pos_;
        if (is_delimiter(text_[end])) {
            ++end;
        } else {
            while (end < text_.size() && !is_delimiter(text_[end]) && end - pos_ < 32) {
                ++end;
            }
        }
        return quoted(text_.substr(pos_, end - pos_));
    }

    // A keyword (and/or/not/pr/...) at pos_: matches case-insensitively and must not run on into
    // a longer word ("order" is an attribute, not "or" + "der").
    bool at_keyword(std::string_view keyword) const {
        if (text_.size() - pos_ < keyword.size() ||
            !ascii::iequals(text_.substr(pos_, keyword.size()), keyword)) {
            return false;
        }
        const std::size_t after = pos_ + keyword.size();
        return after == text_.size() || !is_path_char(text_[after]);
    }

    bool count_node(std::size_t position) {
        if (++nodes_ > limits_.max_nodes) {
            fail(position, "filter has more than " + std::to_string(limits_.max_nodes) +
                               " expressions" + at_position(position));
            return false;
        }
        return true;
    }

    // Each parenthesis, "not" and "[" nests one level; refusing deeper input bounds the stack.
    bool enter(std::size_t position) {
        if (++depth_ > limits_.max_depth) {
            fail(position, "filter is nested deeper than " + std::to_string(limits_.max_depth) +
                               " levels" + at_position(position));
            return false;
        }
        return true;
    }
    void leave() { --depth_; }

    bool expect_end(std::string_view closer) {
        skip_spaces();
        if (at_end()) {
            return true;
        }
        fail(pos_, "expected \"and\", \"or\" or " + std::string(closer) + at_position(pos_) +
                       ", found " + found_token());
        return false;
    }

    filter_node make_binary(filter_node::kind type, filter_node left, filter_node right,
                            std::size_t position) {
        filter_node node;
        node.type = type;
        node.position = position;
        node.children.reserve(2);
        node.children.push_back(std::move(left));
        node.children.push_back(std::move(right));
        return node;
    }

    // FILTER = term *("or" term): the lowest precedence, left-associative.
    std::optional<filter_node> parse_or(bool in_brackets) {
        return parse_chain(in_brackets, "or", filter_node::kind::or_, &parser::parse_and);
    }

    // term = factor *("and" factor): binds tighter than "or".
    std::optional<filter_node> parse_and(bool in_brackets) {
        return parse_chain(in_brackets, "and", filter_node::kind::and_, &parser::parse_unary);
    }

    /// operand *(keyword operand), left-associative.
    std::optional<filter_node> parse_chain(bool in_brackets, std::string_view keyword,
                                           filter_node::kind type,
                                           std::optional<filter_node> (parser::*operand)(bool)) {
        auto left = (this->*operand)(in_brackets);
        while (left) {
            skip_spaces();
            const std::size_t op_pos = pos_;
            if (!at_keyword(keyword)) {
                break;
            }
            pos_ += keyword.size();
            auto right = (this->*operand)(in_brackets);
            if (!right || !count_node(op_pos)) {
                return std::nullopt;
            }
            left = make_binary(type, std::move(*left), std::move(*right), op_pos);
        }
        return left;
    }

    // factor = "not" "(" FILTER ")" / "(" FILTER ")" / attrExp / valuePath.
    std::optional<filter_node> parse_unary(bool in_brackets) {
        skip_spaces();
        const std::size_t start = pos_;
        if (at_keyword("not")) {
            const std::size_t saved = pos_;
            pos_ += 3;
            skip_spaces();
            if (peek() == '(') {
                return parse_not(start, in_brackets);
            }
            pos_ = saved;  // an attribute that happens to be called "not" (`not pr`)
        }
        if (peek() == '(') {
            return parse_group(in_brackets);
        }
        if (at_end() || !is_path_char(peek())) {
            fail(pos_, "expected an attribute name, \"(\" or \"not\"" + at_position(pos_) +
                           ", found " + found_token());
            return std::nullopt;
        }
        return parse_attr_expression(in_brackets);
    }

    std::optional<filter_node> parse_not(std::size_t start, bool in_brackets) {
        auto inner = parse_group(in_brackets);
        if (!inner || !count_node(start)) {
            return std::nullopt;
        }
        filter_node node;
        node.type = filter_node::kind::not_;
        node.position = start;
        node.children.push_back(std::move(*inner));
        return node;
    }

    std::optional<filter_node> parse_group(bool in_brackets) {
        const std::size_t open = pos_;
        if (!enter(open)) {
            return std::nullopt;
        }
        ++pos_;  // "("
        auto inner = parse_or(in_brackets);
        if (!inner) {
            return std::nullopt;
        }
        skip_spaces();
        if (peek() != ')') {
            fail(pos_, "expected \"and\", \"or\" or \")\" to close the \"(\" at position " +
                           std::to_string(open) + at_position(pos_) + ", found " + found_token());
            return std::nullopt;
        }
        ++pos_;
        leave();
        return inner;
    }

    // attrExp = attrPath SP "pr" / attrPath SP compareOp SP compValue; or a valuePath.
    std::optional<filter_node> parse_attr_expression(bool in_brackets) {
        const std::size_t start = pos_;
        auto path = parse_attr_path("an attribute name");
        if (!path) {
            return std::nullopt;
        }
        if (peek() == '[') {
            if (in_brackets) {
                fail(pos_, "a value filter \"[...]\" cannot be nested inside another one" +
                               at_position(pos_));
                return std::nullopt;
            }
            if (!path->sub_attribute.empty()) {
                fail(pos_,
                     "a value filter \"[...]\" must follow a multi-valued attribute, not "
                     "the sub-attribute " +
                         quoted(to_string(*path)) + at_position(pos_));
                return std::nullopt;
            }
            return parse_value_path(std::move(*path), start);
        }
        return parse_comparison(std::move(*path), start, to_string(*path));
    }

    std::optional<filter_node> parse_comparison(attr_path path, std::size_t start,
                                                const std::string& written) {
        skip_spaces();
        const std::size_t op_pos = pos_;
        std::size_t op_end = pos_;
        while (op_end < text_.size() && !is_delimiter(text_[op_end])) {
            ++op_end;
        }
        const std::string_view op_text = text_.substr(op_pos, op_end - op_pos);
        if (!count_node(start)) {
            return std::nullopt;
        }
        filter_node node;
        node.path = std::move(path);
        node.position = start;
        if (ascii::iequals(op_text, "pr")) {
            pos_ = op_end;
            node.type = filter_node::kind::present;
            return check_no_value_after_pr(op_text) ? std::optional(std::move(node)) : std::nullopt;
        }
        for (std::size_t i = 0; i < op_names.size(); ++i) {
            if (ascii::iequals(op_text, op_names[i])) {
                pos_ = op_end;
                node.type = filter_node::kind::compare;
                node.op = static_cast<compare_op>(i);
                auto value = parse_value(op_text);
                if (!value) {
                    return std::nullopt;
                }
                node.value = std::move(*value);
                return node;
            }
        }
        std::string message = "expected an operator " + std::string(op_list) + " after " +
                              quoted(written) + at_position(op_pos);
        if (!at_end()) {
            message += ", found " + found_token();
        }
        fail(op_pos, std::move(message));
        return std::nullopt;
    }

    // `title pr "x"` is a common mistake; say so rather than "expected and/or".
    bool check_no_value_after_pr(std::string_view op_text) {
        const std::size_t saved = pos_;
        skip_spaces();
        const char c = peek();
        const bool looks_like_value = c == '"' || c == '-' || c == '+' || is_digit(c) ||
                                      at_keyword("true") || at_keyword("false") ||
                                      at_keyword("null");
        if (looks_like_value) {
            fail(pos_, "operator " + quoted(op_text) + " takes no value" + at_position(pos_) +
                           ", found " + found_token());
            return false;
        }
        pos_ = saved;
        return true;
    }

    // valuePath = attrPath "[" valFilter "]", optionally followed (Entra) by "." subAttr and an
    // operator, which is folded into the bracketed filter with "and".
    std::optional<filter_node> parse_value_path(attr_path path, std::size_t start) {
        auto inner = parse_brackets(start);
        if (!inner || !count_node(start)) {
            return std::nullopt;
        }
        filter_node node;
        node.type = filter_node::kind::value_path;
        node.path = std::move(path);
        node.position = start;
        if (peek() == '.') {
            auto sub = parse_sub_attribute_after_brackets();
            if (!sub) {
                return std::nullopt;
            }
            attr_path relative;
            relative.name = sub->first;
            const std::string written = to_string(node.path) + "[...]." + sub->first;
            auto comparison = parse_comparison(std::move(relative), sub->second, written);
            if (!comparison || !count_node(sub->second)) {
                return std::nullopt;
            }
            inner = make_binary(filter_node::kind::and_, std::move(*inner), std::move(*comparison),
                                sub->second);
        }
        node.children.push_back(std::move(*inner));
        return node;
    }

    std::optional<filter_node> parse_brackets(std::size_t start) {
        const std::size_t open = pos_;
        if (!enter(open)) {
            return std::nullopt;
        }
        ++pos_;  // "["
        auto inner = parse_or(true);
        if (!inner) {
            return std::nullopt;
        }
        skip_spaces();
        if (peek() != ']') {
            fail(pos_, "expected \"and\", \"or\" or \"]\" to close the \"[\" of " +
                           quoted(text_.substr(start, open - start)) + at_position(pos_) +
                           ", found " + found_token());
            return std::nullopt;
        }
        ++pos_;
        leave();
        return inner;
    }

    // `.subAttr` right after "]": returns the name and its position.
    std::optional<std::pair<std::string, std::size_t>> parse_sub_attribute_after_brackets() {
        ++pos_;  // "."
        const std::size_t start = pos_;
        while (!at_end() && is_path_char(text_[pos_])) {
            ++pos_;
        }
        const std::string_view name = text_.substr(start, pos_ - start);
        if (!is_attr_name(name)) {
            fail(start, "expected a sub-attribute name after \"].\"" + at_position(start) +
                            ", found " + quoted(name));
            return std::nullopt;
        }
        return std::pair(std::string(name), start);
    }

    // attrPath = [URI ":"] ATTRNAME *1subAttr. The URI is everything before the last ':'
    // (schema URNs contain ':' and '.', e.g. "...:enterprise:2.0:User"); the rest holds the
    // attribute name and at most one ".subAttr".
    std::optional<attr_path> parse_attr_path(std::string_view what) {
        const std::size_t start = pos_;
        while (!at_end() && is_path_char(text_[pos_])) {
            ++pos_;
        }
        const std::string_view token = text_.substr(start, pos_ - start);
        if (token.empty()) {
            fail(start,
                 "expected " + std::string(what) + at_position(start) + ", found " + found_token());
            return std::nullopt;
        }
        attr_path path;
        std::size_t name_start = start;
        std::string_view rest = token;
        if (const auto colon = token.rfind(':'); colon != std::string_view::npos) {
            const std::string_view schema = token.substr(0, colon);
            if (schema.empty() || !is_alpha(schema.front()) ||
                schema.find("::") != std::string_view::npos) {
                fail(start, "invalid schema URI " + quoted(schema) + " in attribute path" +
                                at_position(start));
                return std::nullopt;
            }
            path.schema = std::string(schema);
            rest = token.substr(colon + 1);
            name_start = start + colon + 1;
        }
        const auto dot = rest.find('.');
        const std::string_view name = rest.substr(0, dot);
        if (!is_attr_name(name)) {
            fail(name_start, "invalid attribute name " + quoted(name) + at_position(name_start) +
                                 " (a letter, then letters, digits, \"-\" or \"_\")");
            return std::nullopt;
        }
        path.name = std::string(name);
        if (dot != std::string_view::npos) {
            const std::string_view sub = rest.substr(dot + 1);
            const std::size_t sub_start = name_start + dot + 1;
            if (!is_attr_name(sub)) {
                fail(sub_start, "invalid sub-attribute name " + quoted(sub) +
                                    at_position(sub_start) +
                                    " (a letter, then letters, digits, \"-\" or \"_\")");
                return std::nullopt;
            }
            path.sub_attribute = std::string(sub);
        }
        return path;
    }

    // compValue = false / null / true / number / string (RFC 8259 forms).
    std::optional<literal> parse_value(std::string_view op_text) {
        skip_spaces();
        const std::size_t start = pos_;
        if (peek() == '"') {
            auto text = parse_string();
            if (!text) {
                return std::nullopt;
            }
            return literal(std::move(*text));
        }
        std::size_t end = pos_;
        while (end < text_.size() && !is_delimiter(text_[end])) {
            ++end;
        }
        const std::string_view token = text_.substr(start, end - start);
        if (token.empty()) {
            fail(start, "expected a value " + std::string(value_kinds) + " after " +
                            quoted(op_text) + at_position(start) +
                            (at_end() ? std::string() : ", found " + found_token()));
            return std::nullopt;
        }
        pos_ = end;
        if (ascii::iequals(token, "true")) {
            return literal(true);
        }
        if (ascii::iequals(token, "false")) {
            return literal(false);
        }
        if (ascii::iequals(token, "null")) {
            return literal(nullptr);
        }
        if (token.front() == '+') {
            fail(start, "a number must not start with \"+\"" + at_position(start) + ", found " +
                            quoted(token));
            return std::nullopt;
        }
        if (token.front() == '-' || is_digit(token.front())) {
            return parse_number(token, start);
        }
        fail(start, "expected a value " + std::string(value_kinds) + " after " + quoted(op_text) +
                        at_position(start) + ", found unquoted " + quoted(token) +
                        " (string values must be in double quotes)");
        return std::nullopt;
    }

    // RFC 8259 §6: -? (0 / [1-9] DIGIT*) [frac] [exp]; integers become int64, others double.
    std::optional<literal> parse_number(std::string_view token, std::size_t start) {
        std::size_t i = 0;
        auto digits = [&] {
            const std::size_t from = i;
            while (i < token.size() && is_digit(token[i])) {
                ++i;
            }
            return i - from;
        };
        bool integral = true;
        if (token[i] == '-') {
            ++i;
        }
        const std::size_t int_start = i;
        const std::size_t int_digits = digits();
        bool valid = int_digits > 0 && !(int_digits > 1 && token[int_start] == '0');
        if (valid && i < token.size() && token[i] == '.') {
            ++i;
            integral = false;
            valid = digits() > 0;
        }
        if (valid && i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
            ++i;
            integral = false;
            if (i < token.size() && (token[i] == '+' || token[i] == '-')) {
                ++i;
            }
            valid = digits() > 0;
        }
        if (!valid || i != token.size()) {
            fail(start, "invalid number " + quoted(token) + at_position(start));
            return std::nullopt;
        }
        const char* first = token.data();
        const char* last = token.data() + token.size();
        if (integral) {
            std::int64_t value = 0;
            const auto [ptr, ec] = std::from_chars(first, last, value);
            if (ec != std::errc() || ptr != last) {
                fail(start, "integer " + quoted(token) + " is out of range" + at_position(start));
                return std::nullopt;
            }
            return literal(value);
        }
        double value = 0;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec != std::errc() || ptr != last || !std::isfinite(value)) {
            fail(start, "number " + quoted(token) + " is out of range" + at_position(start));
            return std::nullopt;
        }
        return literal(value);
    }

    // A JSON string (RFC 8259 §7) with every escape resolved; raw bytes must be valid UTF-8.
    std::optional<std::string> parse_string() {
        const std::size_t open = pos_;
        ++pos_;
        std::string out;
        while (true) {
            if (at_end()) {
                fail(open, "unterminated string starting" + at_position(open));
                return std::nullopt;
            }
            const char c = text_[pos_];
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c == '\\') {
                if (!parse_escape(out)) {
                    return std::nullopt;
                }
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                fail(pos_, "control character in string" + at_position(pos_) +
                               " (write it as a JSON escape such as \\n or \\u0009)");
                return std::nullopt;
            }
            const std::size_t length = ldap::utf8_sequence_length(text_, pos_);
            if (length == 0) {
                fail(pos_, "invalid UTF-8 in string" + at_position(pos_));
                return std::nullopt;
            }
            out.append(text_.substr(pos_, length));
            pos_ += length;
        }
    }

    bool parse_escape(std::string& out) {
        const std::size_t at = pos_;
        ++pos_;  // "\"
        if (at_end()) {
            fail(at, "unterminated string: \"\\\" at the end" + at_position(at));
            return false;
        }
        const char c = text_[pos_++];
        switch (c) {
            case '"':
                out += '"';
                return true;
            case '\\':
                out += '\\';
                return true;
            case '/':
                out += '/';
                return true;
            case 'b':
                out += '\b';
                return true;
            case 'f':
                out += '\f';
                return true;
            case 'n':
                out += '\n';
                return true;
            case 'r':
                out += '\r';
                return true;
            case 't':
                out += '\t';
                return true;
            case 'u':
                return parse_unicode_escape(at, out);
            default:
                break;
        }
        fail(at, "invalid escape " + quoted(text_.substr(at, 2)) + " in string" + at_position(at) +
                     R"( (valid: \" \\ \/ \b \f \n \r \t \uXXXX))");
        return false;
    }

    std::optional<std::uint32_t> read_hex4(std::size_t escape_start) {
        if (text_.size() - pos_ < 4) {
            fail(escape_start, "\\u needs four hex digits" + at_position(escape_start));
            return std::nullopt;
        }
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hex_value(text_[pos_ + i]);
            if (digit < 0) {
                fail(escape_start, "\\u needs four hex digits" + at_position(escape_start));
                return std::nullopt;
            }
            value = value * 16 + static_cast<std::uint32_t>(digit);
        }
        pos_ += 4;
        return value;
    }

    // \uXXXX; UTF-16 surrogate pairs (\uD83D\uDE00) combine into one code point.
    bool parse_unicode_escape(std::size_t at, std::string& out) {
        const auto high = read_hex4(at);
        if (!high) {
            return false;
        }
        if (*high >= 0xDC00 && *high <= 0xDFFF) {
            fail(at, "unpaired UTF-16 surrogate in \\u escape" + at_position(at));
            return false;
        }
        if (*high < 0xD800 || *high > 0xDBFF) {
            append_utf8(out, *high);
            return true;
        }
        const std::size_t low_at = pos_;
        if (text_.substr(pos_, 2) != "\\u") {
            fail(at, "unpaired UTF-16 surrogate in \\u escape" + at_position(at));
            return false;
        }
        pos_ += 2;
        const auto low = read_hex4(low_at);
        if (!low) {
            return false;
        }
        if (*low < 0xDC00 || *low > 0xDFFF) {
            fail(at, "unpaired UTF-16 surrogate in \\u escape" + at_position(at));
            return false;
        }
        append_utf8(out, 0x10000 + ((*high - 0xD800) << 10) + (*low - 0xDC00));
        return true;
    }
};

// Printing: precedence or < and < everything else; a right operand of equal precedence gets
// parentheses so that left-associative parsing rebuilds exactly the same tree.
int precedence(const filter_node& node) {
    switch (node.type) {
        case filter_node::kind::or_:
            return 1;
        case filter_node::kind::and_:
            return 2;
        default:
            return 3;
    }
}

void print_literal(const literal& value, std::string& out) {
    if (std::holds_alternative<std::nullptr_t>(value)) {
        out += "null";
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
        std::array<char, 64> buffer{};
        const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), *d);
        std::string text(buffer.data(), ec == std::errc() ? end : buffer.data());
        // Shortest round-trip form; keep a fraction so it re-parses as a decimal, not an integer.
        if (text.find_first_of(".eEn") == std::string::npos) {
            text += ".0";
        }
        out += text;
    } else {
        append_json_string(out, std::get<std::string>(value));
    }
}

void print(const filter_node& node, std::string& out);

void print_operand(const filter_node& child, int parent_precedence, bool right, std::string& out) {
    const int own = precedence(child);
    const bool parenthesize = own < parent_precedence || (right && own == parent_precedence);
    if (parenthesize) {
        out += '(';
    }
    print(child, out);
    if (parenthesize) {
        out += ')';
    }
}

void print(const filter_node& node, std::string& out) {
    switch (node.type) {
        case filter_node::kind::compare:
            out += to_string(node.path);
            out += ' ';
            out += op_names[static_cast<std::size_t>(node.op)];
            out += ' ';
            print_literal(node.value, out);
            return;
        case filter_node::kind::present:
            out += to_string(node.path);
            out += " pr";
            return;
        case filter_node::kind::and_:
        case filter_node::kind::or_:
            if (node.children.size() == 2) {
                print_operand(node.children[0], precedence(node), false, out);
                out += node.type == filter_node::kind::and_ ? " and " : " or ";
                print_operand(node.children[1], precedence(node), true, out);
            }
            return;
        case filter_node::kind::not_:
            out += "not (";
            if (!node.children.empty()) {
                print(node.children[0], out);
            }
            out += ')';
            return;
        case filter_node::kind::value_path:
            out += to_string(node.path);
            out += '[';
            if (!node.children.empty()) {
                print(node.children[0], out);
            }
            out += ']';
            return;
    }
}

}  // namespace

boost::system::result<filter_node, parse_error> parse_filter(std::string_view text,
                                                             const parse_limits& limits) {
    return parser(text, limits).filter();
}

boost::system::result<patch_path, parse_error> parse_path(std::string_view text,
                                                          const parse_limits& limits) {
    return parser(text, limits).path();
}

std::string to_string(const filter_node& node) {
    std::string out;
    print(node, out);
    return out;
}

std::string to_string(const attr_path& path) {
    std::string out;
    if (!path.schema.empty()) {
        out += path.schema;
        out += ':';
    }
    out += path.name;
    if (!path.sub_attribute.empty()) {
        out += '.';
        out += path.sub_attribute;
    }
    return out;
}

}  // namespace scimldap::mapping
