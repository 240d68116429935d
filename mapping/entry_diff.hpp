// The smallest LDAP modify that turns an entry's current values into the desired ones.
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"

#include <optional>

#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// For each desired attribute (skipping `skip`, e.g. the RDN attribute renamed separately):
/// unchanged → nothing; no desired values → delete the attribute if present; otherwise
/// value-level add/delete for multi-valued changes, replace for single values. Values compare
/// exactly: a change of case is a change for SCIM.
std::vector<ldap::modification> diff_entry(const ldap::entry& current,
                                           const std::vector<ldap::attribute>& desired,
                                           std::string_view skip = {});

/// An entry an administrator made may lack the profile's auxiliary class (scimBridgeObject):
/// adding values of its attributes (externalId) then needs the class added in the same modify.
/// The objectClass addition `changes` need, or nothing.
std::optional<ldap::modification> missing_object_classes(
    const resource_profile& resource, const ldap::entry& current,
    const std::vector<ldap::modification>& changes);

}  // namespace scimldap::mapping
