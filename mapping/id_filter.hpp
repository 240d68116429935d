// The LDAP filters that find resources by their SCIM id (the profile's id attribute).
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// False when `id` cannot be the id of any entry of `resource` (not a UUID where ids are
/// entryUUIDs): a lookup can answer "none" without asking the directory.
bool may_name_entry(const resource_profile& resource, std::string_view id);

/// The entry of `resource` with this id, and matching `also` when given.
ldap::filter id_filter(const resource_profile& resource, std::string_view id,
                       const std::optional<ldap::filter>& also = std::nullopt);

/// The entries of `resource` with any of these ids.
ldap::filter ids_filter(const resource_profile& resource, std::span<const std::string> ids);
/// The entries of `resource` whose `attribute` holds any of these values.
ldap::filter ids_filter(const resource_profile& resource, std::string_view attribute,
                        std::span<const std::string> ids);

}  // namespace scimldap::mapping
