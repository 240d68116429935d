// Parsers for SCIM filters and PATCH paths: text in, syntax tree or a positioned error out.
#pragma once

#include "mapping/filter_ast.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Why a filter or path did not parse: 0-based character offset and what was expected.
struct parse_error {
    std::size_t position;
    std::string message;  // e.g. "expected an operator (eq, ne, co, ...) at position 9"
};

[[noreturn]] void throw_exception_from_error(const parse_error& e,
                                             const boost::source_location& loc);

/// Bounds so no filter can exhaust memory or stack.
struct parse_limits {
    std::size_t max_length = 4096;
    std::size_t max_depth = 32;  // nesting of parentheses, not, and value paths
    std::size_t max_nodes = 256;
};

boost::system::result<filter_node, parse_error> parse_filter(std::string_view text,
                                                             const parse_limits& limits = {});

/// PATCH "path" and profile mapping keys: attrPath / valuePath ["." subAttr].
boost::system::result<patch_path, parse_error> parse_path(std::string_view text,
                                                          const parse_limits& limits = {});

/// Prints a tree back as canonical filter text (lowercase operators, quoted strings).
std::string to_string(const filter_node& node);
std::string to_string(const attr_path& path);

}  // namespace scimldap::mapping
