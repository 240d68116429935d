// Whole-resource rules of a profile that no single key shows: duplicate keys, two writers of
// one LDAP attribute, required SCIM attributes, the RDN attribute produced on create.
#pragma once

#include "mapping/json_reader.hpp"
#include "mapping/profile.hpp"

#include <string>

namespace scimldap::mapping {

/// Adds an error (under `path`, the resource's JSON path) for each rule `r` breaks.
void check_resource(const resource_profile& r, const std::string& path, error_list& errors);

}  // namespace scimldap::mapping
