// What real clients send instead of RFC 7643's schema URNs (IDP-QUIRKS R15): OneLogin's
// Enterprise template (urn:scim:schemas:core:2.0 and ...extension:enterprise:2.0, emails as one
// object), SCIM 1.1's URNs, Entra's typo and its group URN. Each is accepted, the entry gets the
// values, and the answer names the standard URNs.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* people = ",ou=People,dc=example,dc=org";
constexpr const char* enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

class SchemaAliases : public bridge_suite<SchemaAliases> {
protected:
    static http_reply send(bhttp::verb method, const std::string& path, const std::string& body) {
        return bridge_->request(method, std::string("/scim/v2").append(path),
                                bridge_fixture::default_token, body);
    }
    static std::vector<std::string> ldap_values(const std::string& dn,
                                                const std::string& attribute) {
        ldap_admin admin(*slapd_);
        const auto e = admin.read(dn);
        return e ? attribute_values(*e, attribute) : std::vector<std::string>{};
    }
    static std::string user_dn(const std::string& uid) {
        return std::string("uid=").append(uid).append(people);
    }
};

TEST_F(SchemaAliases, OneLoginsEnterpriseTemplateCreatesAndUpdatesTheUser) {
    const http_reply created = send(bhttp::verb::post, "/Users", R"({
        "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
        "userName": "onelogin.user",
        "name": {"givenName": "One", "familyName": "Login", "formatted": "One Login"},
        "emails": {"value": "onelogin.user@example.org", "type": "work", "primary": true},
        "title": "Engineer",
        "urn:scim:schemas:extension:enterprise:2.0": {"department": "R&D"}})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const json::object body = created.json().as_object();
    EXPECT_EQ(body.at("schemas"),
              (json::array{"urn:ietf:params:scim:schemas:core:2.0:User", enterprise}));
    EXPECT_EQ(body.at(enterprise).at("department"), "R&D");
    EXPECT_EQ(ldap_values(user_dn("onelogin.user"), "departmentNumber"),
              std::vector<std::string>{"R&D"});
    EXPECT_EQ(ldap_values(user_dn("onelogin.user"), "mail"),
              std::vector<std::string>{"onelogin.user@example.org"});

    // OneLogin's update: PUT /Users/{id}? with the whole template.
    const std::string id(body.at("id").as_string());
    const http_reply updated = send(bhttp::verb::put, "/Users/" + id + "?", R"({
        "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:2.0"],
        "userName": "onelogin.user",
        "name": {"givenName": "One", "familyName": "Login"},
        "emails": {"value": "onelogin.user@example.org", "type": "work", "primary": true},
        "title": "Lead",
        "urn:scim:schemas:extension:enterprise:2.0": {"department": "Ops"}})");
    ASSERT_EQ(updated.status, 200u) << updated.body;
    EXPECT_EQ(ldap_values(user_dn("onelogin.user"), "departmentNumber"),
              std::vector<std::string>{"Ops"});
    EXPECT_EQ(ldap_values(user_dn("onelogin.user"), "title"), std::vector<std::string>{"Lead"});
}

TEST_F(SchemaAliases, Scim11CoreTemplateCreatesTheUser) {
    const http_reply r = send(bhttp::verb::post, "/Users", R"({
        "schemas": ["urn:scim:schemas:core:1.0"], "userName": "scim11.user",
        "name": {"givenName": "Old", "familyName": "Schema", "formatted": "Old Schema"}})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("schemas"), (json::array{"urn:ietf:params:scim:schemas:core:2.0:User"}));
    EXPECT_EQ(ldap_values(user_dn("scim11.user"), "sn"), std::vector<std::string>{"Schema"});
}

TEST_F(SchemaAliases, EntrasEnterpriseTypoIsTheEnterpriseExtension) {
    const http_reply r = send(bhttp::verb::post, "/Users", R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
        "userName": "entra.typo",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0User": {"employeeNumber": "701"}})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(ldap_values(user_dn("entra.typo"), "employeeNumber"),
              std::vector<std::string>{"701"});
}

TEST_F(SchemaAliases, EntrasGroupUrnIsAccepted) {
    const http_reply r = send(bhttp::verb::post, "/Groups", R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "displayName": "entra-group", "members": []})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("schemas"), (json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}));
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.read("cn=entra-group,ou=Groups,dc=example,dc=org"));
}

TEST_F(SchemaAliases, APatchPathAndAFilterMayNameAnAlias) {
    const http_reply created = send(bhttp::verb::post, "/Users", R"({"userName": "alias.patch"})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());

    const http_reply patched = send(bhttp::verb::patch, "/Users/" + id, R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace",
                        "path": "urn:scim:schemas:extension:enterprise:1.0:department",
                        "value": "Aliased"}]})");
    ASSERT_EQ(patched.status, 200u) << patched.body;
    EXPECT_EQ(ldap_values(user_dn("alias.patch"), "departmentNumber"),
              std::vector<std::string>{"Aliased"});

    const http_reply found = send(
        bhttp::verb::get,
        "/Users?filter=urn%3Ascim%3Aschemas%3Aextension%3Aenterprise%3A2.0%3Adepartment%20eq%20"
        "%22Aliased%22",
        "");
    ASSERT_EQ(found.status, 200u) << found.body;
    EXPECT_EQ(found.json().at("totalResults"), 1);
}

}  // namespace
}  // namespace scimldap::testing
