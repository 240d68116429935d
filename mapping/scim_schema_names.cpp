#include "mapping/scim_schema_names.hpp"

#include "base/ascii_case.hpp"

namespace scimldap::mapping {
namespace {

const std::vector<std::string_view> multi_sub = {"value", "display", "type", "primary"};
const std::vector<std::string_view> reference_sub = {"value", "$ref", "display", "type"};
const std::vector<std::string_view> meta_sub = {"resourceType", "created", "lastModified",
                                                "location", "version"};

const std::vector<known_attribute>& user_attributes() {
    static const std::vector<known_attribute> attributes = {
        {"id", false, {}},
        {"externalId", false, {}},
        {"meta", false, meta_sub},
        {"userName", false, {}},
        {"name",
         false,
         {"formatted", "familyName", "givenName", "middleName", "honorificPrefix",
          "honorificSuffix"}},
        {"displayName", false, {}},
        {"nickName", false, {}},
        {"profileUrl", false, {}},
        {"title", false, {}},
        {"userType", false, {}},
        {"preferredLanguage", false, {}},
        {"locale", false, {}},
        {"timezone", false, {}},
        {"active", false, {}},
        {"password", false, {}},
        {"emails", true, multi_sub},
        {"phoneNumbers", true, multi_sub},
        {"ims", true, multi_sub},
        {"photos", true, multi_sub},
        {"addresses",
         true,
         {"formatted", "streetAddress", "locality", "region", "postalCode", "country", "type",
          "primary"}},
        {"groups", true, reference_sub},
        {"entitlements", true, multi_sub},
        {"roles", true, multi_sub},
        {"x509Certificates", true, multi_sub},
    };
    return attributes;
}

const std::vector<known_attribute>& group_attributes() {
    static const std::vector<known_attribute> attributes = {
        {"id", false, {}},          {"externalId", false, {}},        {"meta", false, meta_sub},
        {"displayName", false, {}}, {"members", true, reference_sub},
    };
    return attributes;
}

const std::vector<known_attribute>& enterprise_attributes() {
    static const std::vector<known_attribute> attributes = {
        {"employeeNumber", false, {}}, {"costCenter", false, {}},
        {"organization", false, {}},   {"division", false, {}},
        {"department", false, {}},     {"manager", false, {"value", "$ref", "displayName"}},
    };
    return attributes;
}

}  // namespace

const std::vector<known_attribute>* rfc_attributes(std::string_view schema) {
    if (ascii::iequals(schema, core_user_schema)) {
        return &user_attributes();
    }
    if (ascii::iequals(schema, core_group_schema)) {
        return &group_attributes();
    }
    if (ascii::iequals(schema, enterprise_user_schema)) {
        return &enterprise_attributes();
    }
    return nullptr;
}

const known_attribute* find_rfc_attribute(std::string_view schema, std::string_view name) {
    const auto* attributes = rfc_attributes(schema);
    if (attributes == nullptr) {
        return nullptr;
    }
    for (const auto& a : *attributes) {
        if (ascii::iequals(a.name, name)) {
            return &a;
        }
    }
    return nullptr;
}

}  // namespace scimldap::mapping
