// /Schemas, /ResourceTypes and /ServiceProviderConfig content derived from the shipped profiles.
#include "mapping/discovery.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

constexpr std::string_view base = "https://scim.example.org/scim/v2";
constexpr std::string_view school_schema =
    "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User";

std::string shipped_path(std::string_view name) {
    return (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles/").string() +
           std::string(name) + ".json";
}

std::shared_ptr<const profile> shipped(std::string_view name) {
    auto r = load_profile(shipped_path(name));
    if (!r) {
        const auto errors = r.error();
        ADD_FAILURE() << errors.front().to_string();
        return nullptr;
    }
    return *r;
}

json::object shipped_json(std::string_view name) {
    std::ifstream in(shipped_path(name));
    return json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
}

std::shared_ptr<const profile> parse(const json::object& p) {
    auto r = parse_profile(json::serialize(p), "test-profile.json");
    if (!r) {
        const auto errors = r.error();
        ADD_FAILURE() << errors.front().to_string();
        return nullptr;
    }
    return *r;
}

json::object& user_json(json::object& p) {
    return p["resources"].as_object()["User"].as_object();
}

/// The element of arr whose key equals value, or nullptr.
const json::object* find_by(const json::array& arr, std::string_view key, std::string_view value) {
    for (const json::value& v : arr) {
        const json::object& o = v.as_object();
        const auto* k = o.if_contains(key);
        if (k != nullptr && k->is_string() && k->as_string() == value) {
            return &o;
        }
    }
    return nullptr;
}

std::vector<std::string> names_of(const json::array& attributes) {
    std::vector<std::string> out;
    for (const json::value& a : attributes) {
        out.emplace_back(a.as_object().at("name").as_string());
    }
    return out;
}

std::vector<std::string> strings_of(const json::value& v) {
    std::vector<std::string> out;
    for (const json::value& s : v.as_array()) {
        out.emplace_back(s.as_string());
    }
    return out;
}

/// Schema resources of a profile, looked up by URN.
class schemas {
public:
    explicit schemas(const profile& p) : all_(schema_resources(p, base)) {}
    const json::array& all() const { return all_; }
    const json::object& schema(std::string_view urn) const {
        const json::object* s = find_by(all_, "id", urn);
        if (s == nullptr) {
            throw std::runtime_error("no schema " + std::string(urn));
        }
        return *s;
    }
    const json::array& attributes(std::string_view urn) const {
        return schema(urn).at("attributes").as_array();
    }
    const json::object* attribute(std::string_view urn, std::string_view name) const {
        return find_by(attributes(urn), "name", name);
    }

private:
    json::array all_;
};

const json::object& sub(const json::object& attribute, std::string_view name) {
    const json::object* s = find_by(attribute.at("subAttributes").as_array(), "name", name);
    if (s == nullptr) {
        throw std::runtime_error("no sub-attribute " + std::string(name));
    }
    return *s;
}

service_provider_options options(std::size_t max_results,
                                 std::optional<std::string> documentation_uri = std::nullopt) {
    service_provider_options o;
    o.max_results = max_results;
    o.documentation_uri = std::move(documentation_uri);
    return o;
}

std::vector<std::string> ids_of(const json::array& resources) {
    std::vector<std::string> out;
    for (const json::value& r : resources) {
        out.emplace_back(r.as_object().at("id").as_string());
    }
    return out;
}

TEST(Discovery, DefaultProfilePublishesCoreUserEnterpriseAndGroupSchemas) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    EXPECT_EQ(ids_of(schemas(*p).all()),
              (std::vector<std::string>{std::string(core_user_schema),
                                        std::string(enterprise_user_schema),
                                        std::string(core_group_schema)}));
}

TEST(Discovery, ClasslarkPublishesItsSchoolEventPlannerExtension) {
    const auto p = shipped("classlark");
    ASSERT_TRUE(p);
    EXPECT_EQ(ids_of(schemas(*p).all()),
              (std::vector<std::string>{
                  std::string(core_user_schema), std::string(enterprise_user_schema),
                  std::string(school_schema), std::string(core_group_schema)}));
    const schemas s(*p);
    EXPECT_EQ(s.schema(school_schema).at("name"), "school-event-planner User");
}

TEST(Discovery, SchemaResourceHasSchemaUrnNameAndAbsoluteLocation) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object& user = s.schema(core_user_schema);
    EXPECT_EQ(strings_of(user.at("schemas")), std::vector<std::string>{std::string(schema_schema)});
    EXPECT_EQ(user.at("name"), "User");
    EXPECT_EQ(user.at("description"), "User Account");
    EXPECT_EQ(user.at("meta").at("resourceType"), "Schema");
    EXPECT_EQ(
        user.at("meta").at("location"),
        "https://scim.example.org/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
}

TEST(Discovery, CoreUserListsExactlyTheMappedAttributesInRfcOrder) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    EXPECT_EQ(names_of(schemas(*p).attributes(core_user_schema)),
              (std::vector<std::string>{"externalId", "userName", "name", "displayName", "nickName",
                                        "title", "userType", "preferredLanguage", "locale",
                                        "timezone", "active", "password", "emails", "phoneNumbers",
                                        "addresses", "groups"}));
}

TEST(Discovery, IdAndMetaAreCommonAttributesLeftOutOfSchemas) {
    const auto p = shipped("classlark");
    ASSERT_TRUE(p);
    const schemas s(*p);
    for (std::string_view urn : {core_user_schema, core_group_schema}) {
        EXPECT_EQ(s.attribute(urn, "id"), nullptr) << urn;
        EXPECT_EQ(s.attribute(urn, "meta"), nullptr) << urn;
    }
}

TEST(Discovery, UnmappedRfcAttributesAreAbsent) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    for (std::string_view name :
         {"profileUrl", "ims", "photos", "entitlements", "roles", "x509Certificates"}) {
        EXPECT_EQ(s.attribute(core_user_schema, name), nullptr) << name;
    }
    const json::object* name = s.attribute(core_user_schema, "name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(names_of(name->at("subAttributes").as_array()),
              (std::vector<std::string>{"formatted", "familyName", "givenName", "honorificPrefix",
                                        "honorificSuffix"}));
}

TEST(Discovery, TheWorkAddressHasEverySubAttributeEntraMaps) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* addresses = s.attribute(core_user_schema, "addresses");
    ASSERT_NE(addresses, nullptr);
    EXPECT_EQ(addresses->at("multiValued"), true);
    EXPECT_EQ(names_of(addresses->at("subAttributes").as_array()),
              (std::vector<std::string>{"formatted", "streetAddress", "locality", "region",
                                        "postalCode", "country", "type"}));
}

TEST(Discovery, UserNameCarriesTheProfileCharacteristics) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "userName");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->at("type"), "string");
    EXPECT_EQ(a->at("multiValued"), false);
    EXPECT_EQ(a->at("required"), true);
    EXPECT_EQ(a->at("caseExact"), false);
    EXPECT_EQ(a->at("mutability"), "readWrite");
    EXPECT_EQ(a->at("returned"), "default");
    EXPECT_EQ(a->at("uniqueness"), "server");
    EXPECT_EQ(a->at("description"), "Unique identifier for the user, the entry's RDN");
    EXPECT_FALSE(a->contains("subAttributes"));
    EXPECT_FALSE(a->contains("referenceTypes"));
}

TEST(Discovery, ExternalIdIsListedCaseExactWhenMapped) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "externalId");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->at("caseExact"), true);
    EXPECT_EQ(a->at("required"), false);
}

TEST(Discovery, SelectedEmailsCollapseIntoOneMultiValuedComplexAttribute) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* emails = s.attribute(core_user_schema, "emails");
    ASSERT_NE(emails, nullptr);
    EXPECT_EQ(emails->at("type"), "complex");
    EXPECT_EQ(emails->at("multiValued"), true);
    EXPECT_EQ(names_of(emails->at("subAttributes").as_array()),
              (std::vector<std::string>{"value", "type", "primary"}));
    EXPECT_EQ(sub(*emails, "value").at("type"), "string");
    EXPECT_EQ(sub(*emails, "value").at("multiValued"), false);
    EXPECT_EQ(strings_of(sub(*emails, "type").at("canonicalValues")),
              std::vector<std::string>{"work"});
    EXPECT_EQ(sub(*emails, "primary").at("type"), "boolean");
}

TEST(Discovery, PhoneNumbersTypeListsEverySelectedValueAndHasNoPrimary) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* phones = s.attribute(core_user_schema, "phoneNumbers");
    ASSERT_NE(phones, nullptr);
    EXPECT_EQ(phones->at("multiValued"), true);
    EXPECT_EQ(names_of(phones->at("subAttributes").as_array()),
              (std::vector<std::string>{"value", "type"}));
    EXPECT_EQ(strings_of(sub(*phones, "type").at("canonicalValues")),
              (std::vector<std::string>{"work", "mobile", "fax"}));
}

TEST(Discovery, AnotherSelectedEmailAddsItsTypeValue) {
    json::object doc = shipped_json("openldap-inetorgperson");
    user_json(doc)["attributes"].as_array().push_back(
        json::object{{"scim", "emails[type eq \"home\"].value"}, {"ldap", "scimHomeMail"}});
    const auto p = parse(doc);
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* emails = s.attribute(core_user_schema, "emails");
    ASSERT_NE(emails, nullptr);
    EXPECT_EQ(strings_of(sub(*emails, "type").at("canonicalValues")),
              (std::vector<std::string>{"work", "home"}));
    EXPECT_EQ(emails->at("subAttributes").as_array().size(), 3u);
}

TEST(Discovery, ClasslarkUserTypeCanonicalValuesAreExactlyItsFourRoles) {
    const auto p = shipped("classlark");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "userType");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(
        strings_of(a->at("canonicalValues")),
        (std::vector<std::string>{"Staff", "Event Manager", "Finance Manager", "Administrator"}));
    EXPECT_EQ(a->at("caseExact"), true);
    EXPECT_EQ(a->at("required"), true);
    EXPECT_EQ(a->at("type"), "string");
}

TEST(Discovery, DefaultProfileUserTypeHasNoCanonicalValues) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "userType");
    ASSERT_NE(a, nullptr);
    EXPECT_FALSE(a->contains("canonicalValues"));
    EXPECT_EQ(a->at("required"), false);
}

TEST(Discovery, PasswordIsWriteOnlyAndNeverReturned) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "password");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->at("mutability"), "writeOnly");
    EXPECT_EQ(a->at("returned"), "never");
}

TEST(Discovery, ActiveIsBoolean) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "active");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->at("type"), "boolean");
}

TEST(Discovery, GroupsIsReadOnlyMultiValuedComplexReferencingGroups) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    const json::object* a = s.attribute(core_user_schema, "groups");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->at("type"), "complex");
    EXPECT_EQ(a->at("multiValued"), true);
    EXPECT_EQ(a->at("mutability"), "readOnly");
    EXPECT_EQ(names_of(a->at("subAttributes").as_array()),
              (std::vector<std::string>{"value", "$ref", "display", "type"}));
    EXPECT_EQ(sub(*a, "value").at("type"), "string");
    EXPECT_EQ(sub(*a, "$ref").at("type"), "reference");
    EXPECT_EQ(strings_of(sub(*a, "$ref").at("referenceTypes")), std::vector<std::string>{"Group"});
    for (const json::value& s : a->at("subAttributes").as_array()) {
        EXPECT_EQ(s.as_object().at("mutability"), "readOnly") << s;
    }
}

TEST(Discovery, EnterpriseManagerIsComplexWithValueRefAndDisplayName) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    EXPECT_EQ(names_of(s.attributes(enterprise_user_schema)),
              (std::vector<std::string>{"employeeNumber", "costCenter", "organization", "division",
                                        "department", "manager"}));
    const json::object* manager = s.attribute(enterprise_user_schema, "manager");
    ASSERT_NE(manager, nullptr);
    EXPECT_EQ(manager->at("type"), "complex");
    EXPECT_EQ(manager->at("multiValued"), false);
    EXPECT_EQ(manager->at("mutability"), "readWrite");
    EXPECT_EQ(names_of(manager->at("subAttributes").as_array()),
              (std::vector<std::string>{"value", "$ref", "displayName"}));
    const json::object& value = sub(*manager, "value");
    EXPECT_EQ(value.at("type"), "string");
    EXPECT_EQ(value.at("caseExact"), true);
    EXPECT_EQ(value.at("mutability"), "readWrite");
    EXPECT_EQ(value.at("description"), "The manager's id; LDAP holds the manager's DN");
    const json::object& ref = sub(*manager, "$ref");
    EXPECT_EQ(ref.at("type"), "reference");
    EXPECT_EQ(strings_of(ref.at("referenceTypes")), std::vector<std::string>{"User"});
    EXPECT_EQ(sub(*manager, "displayName").at("mutability"), "readOnly");
}

TEST(Discovery, ClasslarkSubjectsIsOneStringAsTheClasslarkDocumentShowsIt) {
    const auto p = shipped("classlark");
    ASSERT_TRUE(p);
    const schemas s(*p);
    EXPECT_EQ(names_of(s.attributes(school_schema)),
              (std::vector<std::string>{"subjects", "room", "meetingUrl"}));
    const json::object* subjects = s.attribute(school_schema, "subjects");
    ASSERT_NE(subjects, nullptr);
    EXPECT_EQ(subjects->at("type"), "string");
    EXPECT_EQ(subjects->at("multiValued"), false);
    EXPECT_EQ(s.attribute(school_schema, "room")->at("multiValued"), false);
    // Extension attributes stay in their own schema.
    EXPECT_EQ(s.attribute(core_user_schema, "subjects"), nullptr);
}

TEST(Discovery, GroupSchemaHasDisplayNameAndMembers) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const schemas s(*p);
    EXPECT_EQ(names_of(s.attributes(core_group_schema)),
              (std::vector<std::string>{"externalId", "displayName", "members"}));
    const json::object* display = s.attribute(core_group_schema, "displayName");
    EXPECT_EQ(display->at("required"), true);
    EXPECT_EQ(display->at("uniqueness"), "server");
    const json::object* members = s.attribute(core_group_schema, "members");
    ASSERT_NE(members, nullptr);
    EXPECT_EQ(members->at("type"), "complex");
    EXPECT_EQ(members->at("multiValued"), true);
    EXPECT_EQ(members->at("mutability"), "readWrite");
    EXPECT_EQ(names_of(members->at("subAttributes").as_array()),
              (std::vector<std::string>{"value", "$ref", "display", "type"}));
    EXPECT_EQ(sub(*members, "value").at("mutability"), "readWrite");
    EXPECT_EQ(strings_of(sub(*members, "$ref").at("referenceTypes")),
              (std::vector<std::string>{"User", "Group"}));
    EXPECT_EQ(strings_of(sub(*members, "type").at("canonicalValues")),
              (std::vector<std::string>{"User", "Group"}));
}

TEST(Discovery, UnmappedAttributeDisappearsFromSchema) {
    json::object doc = shipped_json("openldap-inetorgperson");
    json::array& attributes = user_json(doc)["attributes"].as_array();
    for (auto it = attributes.begin(); it != attributes.end();) {
        const auto scim = it->as_object().at("scim").as_string();
        it = (scim == "title" || scim.starts_with("phoneNumbers")) ? attributes.erase(it)
                                                                   : std::next(it);
    }
    const auto p = parse(doc);
    ASSERT_TRUE(p);
    const schemas s(*p);
    EXPECT_EQ(s.attribute(core_user_schema, "title"), nullptr);
    EXPECT_EQ(s.attribute(core_user_schema, "phoneNumbers"), nullptr);
    EXPECT_NE(s.attribute(core_user_schema, "displayName"), nullptr);
}

TEST(Discovery, ResourceTypesDescribeUsersAndGroups) {
    const auto p = shipped("classlark");
    ASSERT_TRUE(p);
    const json::array types = resource_type_resources(*p, base);
    ASSERT_EQ(types.size(), 2u);
    const json::object* user = find_by(types, "id", "User");
    ASSERT_NE(user, nullptr);
    EXPECT_EQ(strings_of(user->at("schemas")),
              std::vector<std::string>{std::string(resource_type_schema)});
    EXPECT_EQ(user->at("name"), "User");
    EXPECT_EQ(user->at("endpoint"), "/Users");
    EXPECT_EQ(user->at("schema").as_string(), core_user_schema);
    const json::array& extensions = user->at("schemaExtensions").as_array();
    ASSERT_EQ(extensions.size(), 2u);
    EXPECT_EQ(extensions[0].at("schema").as_string(), enterprise_user_schema);
    EXPECT_EQ(extensions[0].at("required"), false);
    EXPECT_EQ(extensions[1].at("schema").as_string(), school_schema);
    EXPECT_EQ(user->at("meta").at("resourceType"), "ResourceType");
    EXPECT_EQ(user->at("meta").at("location"),
              "https://scim.example.org/scim/v2/ResourceTypes/User");

    const json::object* group = find_by(types, "id", "Group");
    ASSERT_NE(group, nullptr);
    EXPECT_EQ(group->at("endpoint"), "/Groups");
    EXPECT_EQ(group->at("schema").as_string(), core_group_schema);
    EXPECT_TRUE(group->at("schemaExtensions").as_array().empty());
}

TEST(Discovery, RequiredExtensionIsFlaggedInResourceType) {
    json::object doc = shipped_json("classlark");
    user_json(doc)["extensions"].as_array()[1].as_object()["required"] = true;
    const auto p = parse(doc);
    ASSERT_TRUE(p);
    const json::object user = resource_type_resource(p->user, base);
    EXPECT_EQ(user.at("schemaExtensions").as_array()[1].at("required"), true);
}

TEST(Discovery, ServiceProviderConfigStatesTheBulkLimits) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    auto o = options(250);
    o.bulk_max_operations = 100;
    o.bulk_max_payload_bytes = 2048;
    const json::object c = service_provider_config(*p, o, base);
    EXPECT_EQ(c.at("bulk").at("supported"), true);
    EXPECT_EQ(c.at("bulk").at("maxOperations"), 100);
    EXPECT_EQ(c.at("bulk").at("maxPayloadSize"), 2048);
}

TEST(Discovery, ServiceProviderConfigStatesSupportedFeatures) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const json::object c = service_provider_config(*p, options(250), base);
    EXPECT_EQ(strings_of(c.at("schemas")),
              std::vector<std::string>{std::string(service_provider_config_schema)});
    EXPECT_FALSE(c.contains("documentationUri"));
    EXPECT_EQ(c.at("patch").at("supported"), true);
    EXPECT_EQ(c.at("bulk").at("supported"), false) << "no bulk limits: Bulk is off";
    EXPECT_EQ(c.at("bulk").at("maxOperations"), 0);
    EXPECT_EQ(c.at("bulk").at("maxPayloadSize"), 0);
    EXPECT_EQ(c.at("filter").at("supported"), true);
    EXPECT_EQ(c.at("filter").at("maxResults"), 250);
    EXPECT_EQ(c.at("changePassword").at("supported"), true);
    EXPECT_EQ(c.at("sort").at("supported"), true);
    EXPECT_EQ(c.at("etag").at("supported"), true);
    const json::array& schemes = c.at("authenticationSchemes").as_array();
    ASSERT_EQ(schemes.size(), 1u);
    EXPECT_EQ(schemes[0].at("type"), "oauthbearertoken");
    EXPECT_EQ(schemes[0].at("name"), "OAuth Bearer Token");
    EXPECT_FALSE(schemes[0].at("description").as_string().empty());
    EXPECT_EQ(schemes[0].at("primary"), true);
    EXPECT_EQ(c.at("meta").at("resourceType"), "ServiceProviderConfig");
    EXPECT_EQ(c.at("meta").at("location"),
              "https://scim.example.org/scim/v2/ServiceProviderConfig");
}

TEST(Discovery, ServiceProviderConfigNamesTheDocumentationWhenConfigured) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const json::object c =
        service_provider_config(*p, options(100, "https://docs.example.org/scim"), base);
    EXPECT_EQ(c.at("documentationUri"), "https://docs.example.org/scim");
}

TEST(Discovery, ServiceProviderConfigListsOAuth2WhenClientsAreConfigured) {
    const auto p = shipped("openldap-inetorgperson");
    ASSERT_TRUE(p);
    service_provider_options o = options(100);
    o.oauth_client_credentials = true;
    const json::object c = service_provider_config(*p, o, base);
    const json::array& schemes = c.at("authenticationSchemes").as_array();
    ASSERT_EQ(schemes.size(), 2u);
    EXPECT_EQ(schemes[0].at("type"), "oauthbearertoken");
    EXPECT_EQ(schemes[0].at("primary"), true);
    EXPECT_EQ(schemes[1].at("type"), "oauth2");
    EXPECT_EQ(schemes[1].at("specUri"), "https://www.rfc-editor.org/info/rfc6749");
    EXPECT_EQ(schemes[1].at("primary"), false);
    EXPECT_NE(schemes[1].at("description").as_string().find("/oauth/token"), json::string::npos);
}

TEST(Discovery, ChangePasswordIsUnsupportedWithoutPasswordMapping) {
    json::object doc = shipped_json("openldap-inetorgperson");
    user_json(doc).erase("password");
    const auto p = parse(doc);
    ASSERT_TRUE(p);
    const json::object c = service_provider_config(*p, options(100), base);
    EXPECT_EQ(c.at("changePassword").at("supported"), false);
    EXPECT_EQ(schemas(*p).attribute(core_user_schema, "password"), nullptr);
}

}  // namespace
}  // namespace scimldap::mapping
