#include "bridge/scim/list_cursor.hpp"

#include "mapping/base64url.hpp"
#include "mapping/hmac_sha256.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <vector>

namespace scimldap::scim {
namespace {

// Far above any cursor this bridge issues (~150 characters); a longer one is not decoded.
constexpr std::size_t max_cursor_size = 1024;
// The payload's first field: a later format changes it, and old cursors stop verifying.
constexpr std::string_view format_version = "c1";

std::string mac_of(std::string_view key, std::string_view binding, std::string_view payload) {
    std::string input = "scim-ldap-bridge cursor\n";
    input += binding;
    input += '\n';
    input += payload;
    return mapping::hmac_sha256(key, input);
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\n') {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

std::optional<std::int64_t> integer(std::string_view text) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) {
        return std::nullopt;
    }
    return v;
}

error invalid() {
    // One detail whatever the defect: a client learns nothing about other tenants' cursors.
    return error{errc::invalid_cursor,
                 "cursor is not one this server issued for this query: send an empty cursor for "
                 "the first page, then each nextCursor unchanged with the same filter"};
}

}  // namespace

std::string cursor_binding(std::string_view tenant, std::string_view resource_type,
                           std::string_view filter) {
    // Newlines cannot occur in a tenant or type name; the filter goes last.
    std::string out(tenant);
    out += '\n';
    out += resource_type;
    out += "\norder:entryCSN,id\n";
    out += filter;
    return out;
}

std::string seal_cursor(const cursor_position& position, std::string_view binding,
                        std::string_view key, std::chrono::sys_seconds expires_at) {
    std::string payload(format_version);
    for (const std::string& field : {position.csn, position.id, std::to_string(position.window_us),
                                     std::to_string(expires_at.time_since_epoch().count())}) {
        payload += '\n';
        payload += field;
    }
    return mapping::base64url_encode(payload) + "." +
           mapping::base64url_encode(mac_of(key, binding, payload));
}

result<cursor_position> open_cursor(std::string_view cursor, std::string_view binding,
                                    std::string_view key, std::chrono::sys_seconds now) {
    const std::size_t dot = cursor.find('.');
    if (cursor.size() > max_cursor_size || dot == std::string_view::npos) {
        return invalid();
    }
    const auto payload = mapping::base64url_decode(cursor.substr(0, dot));
    // One spelling only: the last character of base64 may carry unused bits, and a cursor
    // differing there would otherwise open to the same position.
    if (!payload || mapping::base64url_encode(*payload) != cursor.substr(0, dot)) {
        return invalid();
    }
    // The expected MAC's text against the presented text: one spelling, compared in constant
    // time, and nothing of the payload is read before it verifies.
    const std::string expected = mapping::base64url_encode(mac_of(key, binding, *payload));
    const std::string_view presented = cursor.substr(dot + 1);
    if (expected.size() != presented.size() ||
        CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) != 0) {
        return invalid();
    }
    const auto fields = split_lines(*payload);
    if (fields.size() != 5 || fields[0] != format_version) {
        return invalid();
    }
    const auto window = integer(fields[3]);
    const auto expires = integer(fields[4]);
    if (!window || !expires) {
        return invalid();
    }
    if (now.time_since_epoch().count() >= *expires) {
        return error{errc::expired_cursor,
                     "cursor has expired: cursors are valid for cursorTimeout seconds "
                     "(/ServiceProviderConfig); start again with an empty cursor"};
    }
    return cursor_position{std::string(fields[1]), std::string(fields[2]), *window};
}

}  // namespace scimldap::scim
