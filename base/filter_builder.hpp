// Builds LDAP search filters (RFC 4515) from attribute names and raw values: every assertion
// value is escaped here, so no filter anywhere is made by concatenating strings.
#pragma once

#include "base/ldap_types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap::filters {

/// (attribute=value)
filter equal(std::string_view attribute, std::string_view value);
/// (attribute=*)
filter present(std::string_view attribute);
/// (attribute=*value*), (attribute=value*), (attribute=*value)
filter contains(std::string_view attribute, std::string_view value);
filter starts_with(std::string_view attribute, std::string_view value);
filter ends_with(std::string_view attribute, std::string_view value);
/// (attribute>=value), (attribute<=value): the attribute's ORDERING rule decides.
filter at_least(std::string_view attribute, std::string_view value);
filter at_most(std::string_view attribute, std::string_view value);

/// (&...) of the parts; one part is returned as it is, none is everything().
filter all_of(const std::vector<filter>& parts);
/// (|...) of the parts; one part is returned as it is, none is nothing().
filter any_of(const std::vector<filter>& parts);
/// (!part)
filter negation(const filter& part);
/// Matches every entry: (objectClass=*).
filter everything();
/// Matches no entry: (!(objectClass=*)).
filter nothing();

/// A ValuesReturnFilter (RFC 3876) in string form, "((member=...)(cn=*))": the values of the
/// matched values control.
std::string values_return(const std::vector<filter>& items);

}  // namespace scimldap::ldap::filters
