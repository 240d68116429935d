// Evaluates the filter inside a PATCH value path (`emails[type eq "work"]`) against one
// element of a multi-valued attribute in a SCIM resource's JSON.
#pragma once

#include "mapping/filter_ast.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// Whether a sub-attribute's strings compare case-sensitively (RFC 7643 §2.2 caseExact).
using case_exact_lookup = std::function<bool(std::string_view sub_attribute)>;

/// Whether `element` matches `filter`. Paths in the filter name the element's sub-attributes
/// (`type`, `value`); for a simple (non-object) element, `value` names the element itself
/// (RFC 7644 §3.5.2.2 "a complex filter ... comparing a value"). An absent operand matches
/// only `ne` and `eq null`.
bool element_matches(const filter_node& filter, const boost::json::value& element,
                     const case_exact_lookup& case_exact);

/// The element a filter of `attr eq literal` terms joined by `and` describes, e.g.
/// `type eq "work"` → {"type": "work"}; nullopt when the filter says more than that (or, ne, co,
/// ...), so no element can be built from it.
std::optional<boost::json::object> element_from_filter(const filter_node& filter);

/// The strings a filter of `value eq "literal"` terms joined by `or` names, e.g.
/// `value eq "a" or value eq "b"` → {"a", "b"}: the elements a remove can name without reading
/// the values (members[value eq "id"]); nullopt for any other filter.
std::optional<std::vector<std::string>> value_eq_literals(const filter_node& filter);

}  // namespace scimldap::mapping
