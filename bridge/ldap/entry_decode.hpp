// Turning libldap's decoded messages into the LDAP layer's value types.
#pragma once

#include "base/ldap_types.hpp"

#include <lber.h>
#include <ldap.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap::detail {

/// A berval's bytes (none for a null berval).
std::string copy_berval(const berval& bv);

/// The controls of a response or an entry.
std::vector<control> to_controls(LDAPControl** raw);

/// What decode_attribute_list read: the attributes up to the end, or up to a malformed element.
struct decoded_attributes {
    std::vector<attribute> attributes;
    bool complete = true;
};

/// The PartialAttributeList of a SearchResultEntry (RFC 4511 §4.5.2) from its encoded bytes
/// (the contents of the list's SEQUENCE). With count_values, each attribute has its values
/// counted (attribute::value_count) and none copied.
decoded_attributes decode_attribute_list(std::string_view list, bool count_values = false);

/// A SearchResultEntry: its DN, attributes and controls.
entry parse_entry(LDAP* ld, LDAPMessage* message, bool count_values = false);

}  // namespace scimldap::ldap::detail
