#include "mapping/base64url.hpp"

#include "mapping/base64.hpp"

#include <algorithm>

namespace scimldap::mapping {

std::string base64url_encode(std::string_view raw) {
    std::string text = base64_encode(raw);
    while (!text.empty() && text.back() == '=') {
        text.pop_back();
    }
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    // Only the URL-safe alphabet: "+", "/", "=" and white space (which OpenSSL's decoder would
    // skip) make the text something else.
    const bool url_safe = std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
    if (!url_safe || text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string standard(text);
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    standard.append((4 - standard.size() % 4) % 4, '=');
    return base64_decode(standard);
}

}  // namespace scimldap::mapping
