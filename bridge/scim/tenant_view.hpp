// What a request may touch once its token is accepted: one tenant's bases and profile, no more.
#pragma once

#include "base/ldap_types.hpp"

#include <memory>
#include <optional>
#include <string>

namespace scimldap::mapping {
class profile;
}

namespace scimldap::scim {

/// A tenant-restricted view built once from the config; handlers never see the whole config, so
/// a handler cannot reach another tenant's subtree by forgetting a check.
struct tenant_view {
    std::string name;
    ldap::dn users_base;
    ldap::dn groups_base;
    ldap::dn roles_base;
    std::optional<ldap::dn> archive_base;
    bool patch_no_content = false;  // PATCH answers 204 unless attributes were asked for
    std::shared_ptr<const mapping::profile> profile;  // null only when the config has none loaded
};

}  // namespace scimldap::scim
