// Translates a SCIM filter (syntax tree) into one LDAP filter through a resource's profile.
#pragma once

#include "bridge/ldap/ldap_types.hpp"
#include "bridge/scim/scim_error.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

namespace scimldap::mapping {

/// The LDAP filter selecting exactly the entries the SCIM filter selects, ANDed with the
/// resource's objectClass filter. RFC 4515 escaping for every value. A filter on an attribute
/// the profile does not map, or in a form not translated yet, → 400 invalidFilter naming it.
scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter);

}  // namespace scimldap::mapping
