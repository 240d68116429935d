// Applies SCIM PATCH operations (RFC 7644 §3.5.2) to a resource's SCIM JSON, as the mapping
// profile describes it; semantics and IdP leniencies in docs/patch.md.
#pragma once

#include "base/scim_error.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile.hpp"
#include "mapping/value_delta.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// Applies `ops` in order to `current` (the resource as GET shows it) and returns the patched
/// resource, or the first operation's error (then nothing is to be written: all-or-nothing).
/// Attribute names in the result use the profile's canonical spelling (RFC 7643 §2.1 names are
/// case-insensitive); values are normalised (booleans from "True"/"False", references as
/// {"value": id}, single values wrapped for multi-valued attributes).
scim::result<boost::json::object> apply_patch(const resource_profile& resource,
                                              boost::json::object current,
                                              const std::vector<patch_operation>& ops);

/// A PATCH request split around one multi-valued reference attribute (a group's members) whose
/// values are too many to read for every change: what it does to them, and the rest.
struct patch_split {
    /// The operations on the attribute, composed without its values.
    value_delta deferred;
    /// The other operations, for apply_patch on the resource without the attribute: operations
    /// with another path (or a path that resolves to nothing, which apply_patch reports), and
    /// no-path operations without the attribute's key (dropped when it was their only key).
    std::vector<patch_operation> others;
    /// An operation on the attribute that needs its values (a filter other than `value eq`,
    /// add/replace with a filter, a sub-attribute path, an error to report): the whole request
    /// must then go through apply_patch on the resource with its values.
    bool needs_values = false;
};

/// Splits `ops` around `deferred_attribute` (a multi-valued reference attribute of the core
/// schema), resolving paths and normalising values as apply_patch does: a whole-attribute add,
/// replace or remove (with or without values), a no-path value's key for the attribute (plain
/// or URN-qualified) and a remove of `attr[value eq "x" or ...]` become `deferred`. 400
/// invalidValue naming the operation when a value is not valid for the attribute or an element
/// names no id.
scim::result<patch_split> split_patch(const resource_profile& resource,
                                      const std::vector<patch_operation>& ops,
                                      std::string_view deferred_attribute);

/// The ids a whole value of the multi-valued reference attribute `attribute` lists, as a POST
/// or PUT body carries it (`[{"value": id}, ...]`, one element or a bare id; null is none),
/// normalised and checked as split_patch checks a PATCH value.
scim::result<std::vector<std::string>> reference_ids(const resource_profile& resource,
                                                     std::string_view attribute,
                                                     const boost::json::value& value);

}  // namespace scimldap::mapping
