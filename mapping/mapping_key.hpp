// Mapping keys and template placeholders: SCIM path text → resolved scim_attribute_path.
#pragma once

#include "mapping/profile.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Parses `userName`, `name.givenName`, `emails[type eq "work"].value` or
/// `urn:...:User:manager.value` (RFC 7644 §3.5.2 path grammar). Selectors must be one
/// `attr eq "string"`. A key without URN belongs to core_schema. The error is a message.
boost::system::result<scim_attribute_path, std::string> parse_mapping_key(
    std::string_view text, std::string_view core_schema);

/// The same path as filter_ast's attr_path (selector dropped), for resource_profile::find.
attr_path to_attr_path(const scim_attribute_path& p);

}  // namespace scimldap::mapping
