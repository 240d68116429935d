// Writes the SCIM resource an LDAP entry is straight as JSON text, through the resource's profile.
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"
#include "mapping/resource_reader.hpp"

#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Appends the resource's JSON object (only the projected attributes) to `out`. This is the one
/// place that decides what a resource looks like; to_resource() parses its output.
void append_resource_json(std::string& out, const resource_profile& resource,
                          const ldap::entry& entry, const read_context& context);

/// The resource's URL (meta.location, and Location of a 201): base URL, endpoint and the
/// entry's own id; empty when the entry has no id.
std::string location_of(const resource_profile& resource, const ldap::entry& entry,
                        std::string_view base_url);

}  // namespace scimldap::mapping
