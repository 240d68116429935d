// Converts single values between SCIM JSON and LDAP strings by the mapping's value type.
#pragma once

#include "mapping/profile.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Why a SCIM value cannot be written: a message naming what was expected.
struct value_error {
    std::string message;
};

/// SCIM value → LDAP string (reference values are resolved elsewhere: they need a lookup).
/// Lenient where IdPs are known to differ from RFC 7643: "True"/"False" strings for booleans
/// (Entra ID), numeric strings for integers.
std::optional<std::string> to_ldap_value(value_type type, const boost::json::value& v,
                                         std::string* error);

/// LDAP string → SCIM JSON value; nullopt when the directory holds something the type can't
/// represent (the attribute is then left out rather than failing the whole read).
std::optional<boost::json::value> from_ldap_value(value_type type, std::string_view v,
                                                  boost::json::storage_ptr storage = {});

/// RFC 4517 GeneralizedTime ("20240131235959Z", "20240131235959.123Z", "202401312359-0100")
/// → xsd:dateTime in UTC ("2024-01-31T23:59:59Z").
std::optional<std::string> generalized_time_to_xsd(std::string_view v);
/// xsd:dateTime (any offset) → GeneralizedTime in UTC.
std::optional<std::string> xsd_to_generalized_time(std::string_view v);

}  // namespace scimldap::mapping
