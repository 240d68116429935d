// SCIM filter and attribute-path syntax trees (RFC 7644 §3.4.2.2, §3.5.2), produced by
// filter_parser and consumed by filter translation, PATCH and profile loading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace scimldap::mapping {

/// `[schemaURN ":"] attrName ["." subAttr]` as written (compare names case-insensitively).
struct attr_path {
    std::string
        schema;  // e.g. "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"; may be empty
    std::string name;           // e.g. "emails", "userName", "manager"
    std::string sub_attribute;  // e.g. "value", "givenName"; may be empty
    friend bool operator==(const attr_path&, const attr_path&) = default;
};

enum class compare_op { eq, ne, co, sw, ew, gt, ge, lt, le };

/// A comparison value: null, true/false, an integer, a decimal, or a string (escapes resolved).
using literal = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

/// One node of a filter. children: and/or have two, not has one, value_path has one (the
/// filter inside the brackets, whose paths are relative to `path`).
struct filter_node {
    enum class kind { compare, present, and_, or_, not_, value_path };
    kind type = kind::present;
    attr_path path;                  // compare, present, value_path
    compare_op op = compare_op::eq;  // compare
    literal value;                   // compare
    std::vector<filter_node> children;
    std::size_t position = 0;  // 0-based offset in the filter text, for error details
};

/// A PATCH path: `attrPath` or `valuePath ["." subAttr]` (RFC 7644 §3.5.2 PATH grammar).
struct patch_path {
    attr_path attribute;                      // for `emails[...].value`: name=emails, sub empty
    std::optional<filter_node> value_filter;  // the bracketed filter, if any
    std::string sub_attribute;                // the `.value` after `]`, if any
};

}  // namespace scimldap::mapping
