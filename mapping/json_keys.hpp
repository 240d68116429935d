// SCIM names in JSON bodies are case-insensitive (RFC 7643 §2.1): members looked up that way.
#pragma once

#include <boost/json/object.hpp>

#include <string_view>

namespace scimldap::mapping {

/// The first member of `o` whose key equals `key` ignoring ASCII case; nullptr when none.
const boost::json::value* find_member(const boost::json::object& o, std::string_view key);
boost::json::value* find_member(boost::json::object& o, std::string_view key);

/// Removes every member of `o` whose key equals `key` ignoring ASCII case.
void erase_members(boost::json::object& o, std::string_view key);

}  // namespace scimldap::mapping
