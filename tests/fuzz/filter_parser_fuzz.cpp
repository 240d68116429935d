// libFuzzer target: the filter/path parsers never crash or hang, canonical text re-parses to the
// same text, and the LDAP escapers keep their invariants. Build: -DSCIMLDAP_BUILD_FUZZERS=ON with
// clang, target filter_parser_fuzz; run: ./filter_parser_fuzz -max_total_time=60.
#include "base/escape.hpp"
#include "mapping/filter_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void check_filter(std::string_view text) {
    scimldap::mapping::parse_limits limits;
    limits.max_length = 512;
    limits.max_depth = 8;
    limits.max_nodes = 64;
    const auto first = scimldap::mapping::parse_filter(text, limits);
    if (!first) {
        require(first.error().position <= text.size());
        return;
    }
    const std::string printed = scimldap::mapping::to_string(*first);
    // Printing may lengthen strings (\u escapes) and add one level of parentheses when
    // `a[x or y].b op v` is folded into `a[(x or y) and b op v]`.
    scimldap::mapping::parse_limits relaxed;
    relaxed.max_length = printed.size();
    relaxed.max_depth = limits.max_depth + 1;
    relaxed.max_nodes = limits.max_nodes;
    const auto second = scimldap::mapping::parse_filter(printed, relaxed);
    require(second.has_value());
    require(scimldap::mapping::to_string(*second) == printed);
}

void check_path(std::string_view text) {
    const auto path = scimldap::mapping::parse_path(text);
    if (!path) {
        require(path.error().position <= text.size());
    }
}

void check_escaping(std::string_view value) {
    using namespace scimldap::ldap;
    const std::string escaped = dn_escape_value(value);
    require(dn_unescape_value(escaped) == std::string(value));
    require(rdn_value(make_rdn("cn", value), "cn") == std::string(value));
    const std::string filter = filter_escape_value(value);
    for (const char c : filter) {
        require(c != '*' && c != '(' && c != ')' && c != '\0');
    }
    const dn name{std::string(value)};
    if (split_dn(name)) {
        require(is_within(name, name));
        const std::string normal = normalize_dn(name);
        require(normalize_dn(dn(normal)) == normal);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_filter(text);
    check_path(text);
    check_escaping(text);
    return 0;
}
