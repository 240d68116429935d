// What the root DSE offers.
#include "bridge/ldap/operations.hpp"

#include <algorithm>

namespace scimldap::ldap {
namespace {

bool contains(const std::vector<std::string>& oids, std::string_view oid) {
    return std::find(oids.begin(), oids.end(), oid) != oids.end();
}

}  // namespace

bool server_features::has_control(std::string_view oid) const {
    return contains(supported_controls, oid);
}

bool server_features::has_extension(std::string_view oid) const {
    return contains(supported_extensions, oid);
}

}  // namespace scimldap::ldap
