// SCIM's comparison operators (RFC 7644 §3.4.2.2) evaluated in the bridge itself, one definition
// for every place that does so: the re-check of LDAP results (filter_match.hpp), PATCH value
// filters (value_filter.hpp) and the selector values the translator knows (filter_translate.hpp).
#pragma once

#include "mapping/filter_ast.hpp"

#include <string_view>

namespace scimldap::mapping {

/// Whether a three-way comparison result (<0, 0, >0 of attribute vs literal) satisfies an
/// ordering or equality operator (eq ne gt ge lt le); false for co/sw/ew.
bool comparison_holds(compare_op op, int comparison);

/// Whether `have op want` holds for an attribute's string value and a filter's string literal:
/// byte for byte when the attribute is caseExact, otherwise ignoring ASCII case, for equality,
/// substrings (co sw ew) and ordering (gt ge lt le) alike. Ordering compares unsigned bytes, so
/// UTF-8 text orders by code point.
bool string_comparison_holds(compare_op op, std::string_view have, std::string_view want,
                             bool case_exact);

}  // namespace scimldap::mapping
