// Compares a profile with a live server's schema (cn=Subschema): attributes exist, SCIM
// multi-valued never lands on SINGLE-VALUE, objectClasses' MUST attributes are produced.
#pragma once

#include "mapping/config_loader.hpp"
#include "mapping/profile.hpp"

#include <string>
#include <vector>

namespace scimldap::mapping {

/// The subschema entry's values as the server returns them (RFC 4512 §4.1 descriptions).
struct subschema {
    std::vector<std::string> attribute_types;
    std::vector<std::string> object_classes;
};

/// Every mismatch, with the profile's file and the JSON path of the mapping or key at fault.
/// Pure: no I/O (the caller reads cn=Subschema). A description that does not parse is
/// reported too (file "cn=Subschema").
std::vector<config_error> check_against_subschema(const profile& p, const subschema& schema);

}  // namespace scimldap::mapping
