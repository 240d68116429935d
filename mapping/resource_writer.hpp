// Reads a SCIM resource body (POST/PUT) into what the LDAP entry must hold, validating it
// against the resource's profile.
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "mapping/profile.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace scimldap::mapping {

/// What a SCIM body says the entry must be.
struct desired_entry {
    /// The RDN attribute's value (userName, displayName).
    std::string rdn_value;
    /// Every writable LDAP attribute of the profile with the values the body gives it; an
    /// attribute the body leaves out is listed with no values (PUT removes it).
    std::vector<ldap::attribute> attributes;
    /// Reference values (ids) still to be turned into DNs, per mapping (manager, members).
    struct reference {
        const attribute_mapping* mapping;
        std::vector<std::string> ids;
    };
    std::vector<reference> references;
    std::optional<bool> active;            // absent: not given
    std::optional<std::string> password;   // absent: not given
    std::optional<std::string> user_type;  // the configured spelling

    /// The values for an LDAP attribute (case-insensitive), nullptr when not listed.
    const std::vector<std::string>* find(std::string_view attribute) const;
};

/// Validates the body (types, required attributes, canonical values, patterns, extension
/// schemas) and collects the values. Attribute names are case-insensitive (RFC 7643 §2.1);
/// readOnly and unknown attributes are ignored (RFC 7644 §3.3, IdPs send id, meta, groups).
scim::result<desired_entry> from_resource(const resource_profile& resource,
                                          const boost::json::value& body);

}  // namespace scimldap::mapping
