// Schema URNs real clients send instead of RFC 7643's (IDP-QUIRKS R15): SCIM 1.1's, OneLogin's
// templates' and Entra's spellings, read as the standard URN of the schema they mean. Answers
// always name the standard URNs.
#pragma once

#include "mapping/profile.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// The standard URN `urn` stands for in a request to `resource` (case-insensitive); nullopt when
/// it is no alias. SCIM 1.1's core URN means the resource's core schema; the enterprise
/// spellings mean the enterprise User extension when the resource has it.
std::optional<std::string> standard_schema(const resource_profile& resource, std::string_view urn);

/// A resource body with its aliases replaced: in "schemas" (a URN listed twice once) and as
/// extension keys (an alias key's attributes join the standard key's object).
void standardize_resource_body(const resource_profile& resource, boost::json::object& body);

/// A PATCH request with its aliases replaced: each operation's path prefix and the keys of an
/// operation's object value.
void standardize_patch_body(const resource_profile& resource, boost::json::object& body);

}  // namespace scimldap::mapping
