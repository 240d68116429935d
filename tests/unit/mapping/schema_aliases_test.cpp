// Schema URNs real clients send (IDP-QUIRKS R15) are read as the standard ones.
#include "mapping/schema_aliases.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/profile_loader.hpp"
#include "mapping/resource_writer.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

const profile& shipped() {
    static const auto p = *load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                         "mapping/profiles/openldap-inetorgperson.json")
                                            .string());
    return *p;
}

std::vector<std::string> values(const desired_entry& d, std::string_view ldap) {
    const auto* v = d.find(ldap);
    return v ? *v : std::vector<std::string>{};
}

TEST(SchemaAliases, OneLoginsEnterpriseTemplateIsReadAsTheStandardSchemas) {
    auto body = json::parse(R"({
        "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
        "userName": "ol.user", "title": "Engineer",
        "emails": {"value": "ol.user@example.org", "type": "work", "primary": true},
        "urn:scim:schemas:extension:enterprise:2.0": {"department": "R&D"}})")
                    .as_object();
    standardize_resource_body(shipped().user, body);

    EXPECT_EQ(body.at("schemas"),
              (json::array{"urn:ietf:params:scim:schemas:core:2.0:User",
                           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}));
    const auto d = from_resource(shipped().user, json::value(body));
    ASSERT_TRUE(d) << d.error().detail;
    EXPECT_EQ(values(*d, "departmentNumber"), std::vector<std::string>{"R&D"});
    EXPECT_EQ(values(*d, "mail"), std::vector<std::string>{"ol.user@example.org"});
}

TEST(SchemaAliases, Scim11CoreAndEnterpriseOneZeroAreAliasesToo) {
    auto body = json::parse(R"({"schemas": ["urn:scim:schemas:core:1.0",
        "urn:scim:schemas:extension:enterprise:1.0"], "userName": "x",
        "urn:scim:schemas:extension:enterprise:1.0": {"employeeNumber": "7"}})")
                    .as_object();
    standardize_resource_body(shipped().user, body);
    const auto d = from_resource(shipped().user, json::value(body));
    ASSERT_TRUE(d) << d.error().detail;
    EXPECT_EQ(values(*d, "employeeNumber"), std::vector<std::string>{"7"});
}

TEST(SchemaAliases, Scim11ManagerIdIsTheManagersId) {
    auto body = json::parse(R"({"schemas": ["urn:scim:schemas:core:1.0",
        "urn:scim:schemas:extension:enterprise:1.0"], "userName": "x",
        "urn:scim:schemas:extension:enterprise:1.0": {
            "manager": {"managerId": "0b9c6d2e-1111-2222-3333-444455556666",
                        "displayName": "Boss"}}})")
                    .as_object();
    standardize_resource_body(shipped().user, body);
    const auto d = from_resource(shipped().user, json::value(body));
    ASSERT_TRUE(d) << d.error().detail;
    ASSERT_EQ(d->references.size(), 1u);
    EXPECT_EQ(d->references.front().ids,
              std::vector<std::string>{"0b9c6d2e-1111-2222-3333-444455556666"});
}

TEST(SchemaAliases, EntrasTypoAndItsGroupUrnAreAccepted) {
    auto user = json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"], "userName": "x",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0User": {"department": "Ops"}})")
                    .as_object();
    standardize_resource_body(shipped().user, user);
    const auto d = from_resource(shipped().user, json::value(user));
    ASSERT_TRUE(d) << d.error().detail;
    EXPECT_EQ(values(*d, "departmentNumber"), std::vector<std::string>{"Ops"});

    auto group = json::parse(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
        "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "displayName": "g"})")
                     .as_object();
    standardize_resource_body(shipped().group, group);
    EXPECT_EQ(group.at("schemas"), (json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}));
}

TEST(SchemaAliases, APatchPathAndValueKeysAreStandardized) {
    auto body = json::parse(R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
          {"op": "replace", "path": "urn:scim:schemas:extension:enterprise:2.0:department",
           "value": "Ops"},
          {"op": "replace", "value": {"urn:scim:schemas:extension:enterprise:1.0":
                                       {"costCenter": "42"}}}]})")
                    .as_object();
    standardize_patch_body(shipped().user, body);
    const auto& ops = body.at("Operations").as_array();
    EXPECT_EQ(ops[0].at("path"),
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
    EXPECT_TRUE(ops[1].at("value").as_object().contains(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
}

TEST(SchemaAliases, AFilterPathWithAnAliasFindsTheMapping) {
    const auto* m = shipped().user.find(
        attr_path{"urn:scim:schemas:extension:enterprise:2.0", "department", ""});
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->ldap, "departmentNumber");
}

TEST(SchemaAliases, AnUnknownUrnIsNoAlias) {
    EXPECT_FALSE(standard_schema(shipped().user, "urn:example:other"));
    EXPECT_FALSE(standard_schema(shipped().group, "urn:scim:schemas:extension:enterprise:2.0"))
        << "groups have no enterprise extension";
}

}  // namespace
}  // namespace scimldap::mapping
