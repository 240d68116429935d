// Applies SCIM PATCH operations (RFC 7644 §3.5.2) to a resource's SCIM JSON, as the mapping
// profile describes it; semantics and IdP leniencies in docs/patch.md.
#pragma once

#include "base/scim_error.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile.hpp"

#include <boost/json/object.hpp>

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

}  // namespace scimldap::mapping
