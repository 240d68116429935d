// Evaluates a SCIM filter on a rendered SCIM resource (RFC 7644 §3.4.2.2 semantics), so the
// bridge can re-check entries where LDAP matching differs from SCIM's (filter_translate.hpp).
#pragma once

#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <boost/json/object.hpp>

namespace scimldap::mapping {

/// Whether `resource` (as to_resource renders it) matches `filter`. Strings compare by the
/// mapping's caseExact (ids and selector values such as `type` case-insensitively), dateTimes as
/// instants, numbers numerically; a multi-valued attribute matches when one of its values does;
/// an absent attribute matches only `ne` and `eq null`.
bool resource_matches(const resource_profile& profile, const filter_node& filter,
                      const boost::json::object& resource);

}  // namespace scimldap::mapping
