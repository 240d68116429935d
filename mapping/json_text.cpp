#include "mapping/json_text.hpp"

#include <algorithm>

namespace scimldap::mapping {
namespace {

bool needs_escape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

void append_escape(std::string& out, char c) {
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            out += "\\u00";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view value) {
    out += '"';
    // Runs without anything to escape (nearly every directory value) are copied in one go.
    auto it = value.begin();
    while (it != value.end()) {
        const auto special = std::find_if(it, value.end(), needs_escape);
        out.append(it, special);
        if (special == value.end()) {
            break;
        }
        append_escape(out, *special);
        it = special + 1;
    }
    out += '"';
}

}  // namespace scimldap::mapping
