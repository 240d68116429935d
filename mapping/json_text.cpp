#include "mapping/json_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace scimldap::mapping {
namespace {

bool needs_escape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

/// Whether any of the eight bytes is below 0x20, a quote or a backslash (the classic "has a
/// byte less than n" and "has a zero byte" bit tricks; bytes of 0x80 and above never match).
bool any_needs_escape(std::uint64_t block) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto has_zero = [&](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
    const bool control = ((block - ones * 0x20) & ~block & highs) != 0;
    return control || has_zero(block ^ (ones * '"')) || has_zero(block ^ (ones * '\\'));
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
    // Eight bytes at a time while none needs escaping (nearly every directory value), then
    // byte by byte through the block that does; runs are copied in one go.
    const char* const p = value.data();
    const std::size_t n = value.size();
    out.reserve(out.size() + n + 2);
    out += '"';
    std::size_t run = 0;
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t block = 0;
            std::memcpy(&block, p + i, 8);
            if (!any_needs_escape(block)) {
                i += 8;
                continue;
            }
        }
        for (const std::size_t stop = std::min(i + 8, n); i < stop; ++i) {
            if (needs_escape(p[i])) {
                out.append(p + run, i - run);
                append_escape(out, p[i]);
                run = i + 1;
            }
        }
    }
    out.append(p + run, n - run);
    out += '"';
}

}  // namespace scimldap::mapping
