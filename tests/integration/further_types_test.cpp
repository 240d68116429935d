// A resource type beyond User and Group that is only a profile section (issue 14): Devices as
// RFC 4519 `device` entries, served by the generic handler at /Devices, listed by discovery and
// root search, and absent for a tenant whose profile does not define them.
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

constexpr const char* device_schema = "urn:example:params:scim:schemas:core:2.0:Device";
constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* roles = "ou=Roles,dc=example,dc=org";

/// The shipped profile with a Device section: that is all a further type needs.
std::string write_device_profile(const std::string& dir) {
    return write_profile_copy(dir, "with-devices", [](json::value& profile) {
        profile.at("resources").as_object()["Device"] = json::parse(R"json({
            "schema": "urn:example:params:scim:schemas:core:2.0:Device",
            "base": "users",
            "object_classes": ["device", "scimBridgeObject"],
            "search_filter": "(objectClass=device)",
            "rdn_attribute": "cn",
            "attributes": [
                {"scim": "displayName", "ldap": "cn", "required": true, "uniqueness": "server"},
                {"scim": "serialNumber", "ldap": "serialNumber"},
                {"scim": "description", "ldap": "description"},
                {"scim": "externalId", "ldap": "scimExternalId", "case_exact": true}
            ]})json");
        // A type with members: the group behaviour, the one hook a further type may need.
        profile.at("resources").as_object()["Team"] = json::parse(R"json({
            "schema": "urn:example:params:scim:schemas:core:2.0:Team",
            "base": "roles",
            "object_classes": ["groupOfNames"],
            "search_filter": "(&(objectClass=groupOfNames)(businessCategory=team))",
            "rdn_attribute": "cn",
            "attributes": [
                {"scim": "displayName", "ldap": "cn", "required": true, "uniqueness": "server"}
            ],
            "templates": {"businessCategory": ["team"]},
            "members": {"placeholder_dn": "cn=empty-membership-placeholder,dc=example,dc=org",
                        "types": ["User"]}})json");
    });
}

class FurtherResourceTypes : public bridge_suite<FurtherResourceTypes> {
public:
    static bridge_options options(const slapd_launcher& slapd) {
        bridge_options o;
        o.default_profile = write_device_profile(slapd.dir());
        return o;
    }

protected:
    static http_reply call(bhttp::verb method, const std::string& target,
                           const std::string& body = {},
                           const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(method, "/scim/v2" + target, token, body);
    }

    static std::string create(const std::string& body) {
        const auto r = call(bhttp::verb::post, "/Devices", body);
        EXPECT_EQ(r.status, 201u) << r.body;
        return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
    }

    static std::optional<ldap::entry> device_entry(const std::string& cn) {
        ldap_admin admin(*slapd_);
        return admin.read("cn=" + cn + "," + people);
    }

    static std::vector<std::string> values(const std::string& cn, std::string_view attribute) {
        const auto e = device_entry(cn);
        return e ? attribute_values(*e, attribute) : std::vector<std::string>{};
    }
};

TEST_F(FurtherResourceTypes, PostCreatesTheEntryItsSectionDescribes) {
    const auto r = call(bhttp::verb::post, "/Devices",
                        R"({"schemas": [")" + std::string(device_schema) +
                            R"("], "displayName": "printer-1", "serialNumber": "SN-0001"})");

    ASSERT_EQ(r.status, 201u) << r.body;
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("displayName"), "printer-1");
    EXPECT_EQ(body.at("serialNumber"), "SN-0001");
    EXPECT_EQ(body.at("meta").at("resourceType"), "Device");
    const std::string id(body.at("id").as_string());
    const std::string location = r.header("location");
    EXPECT_TRUE(location.ends_with("/scim/v2/Devices/" + id)) << location;
    const auto e = device_entry("printer-1");
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "entryUUID"), std::vector<std::string>{id});
    EXPECT_EQ(attribute_values(*e, "serialNumber"), std::vector<std::string>{"SN-0001"});
    const auto classes = attribute_values(*e, "objectClass");
    EXPECT_NE(std::find(classes.begin(), classes.end(), "device"), classes.end());
}

TEST_F(FurtherResourceTypes, GetAndFilterFindTheDeviceAndUsersDoNot) {
    const auto id = create(R"({"displayName": "laptop-7", "serialNumber": "SN-0007"})");
    ASSERT_FALSE(id.empty());

    const auto got = call(bhttp::verb::get, "/Devices/" + id);
    EXPECT_EQ(got.status, 200u) << got.body;
    EXPECT_EQ(got.json().at("serialNumber"), "SN-0007");
    const auto listed = call(bhttp::verb::get, "/Devices?filter=serialNumber%20eq%20%22SN-0007%22");
    ASSERT_EQ(listed.status, 200u) << listed.body;
    EXPECT_EQ(listed.json().at("totalResults"), 1);
    EXPECT_EQ(listed.json().at("Resources").at(0).at("id"), json::value(id));
    const auto users = call(bhttp::verb::get, "/Users/" + id);
    EXPECT_EQ(users.status, 404u) << users.body;
}

TEST_F(FurtherResourceTypes, PatchAndPutChangeTheEntry) {
    const auto id = create(R"({"displayName": "scanner-2", "serialNumber": "SN-0002"})");
    ASSERT_FALSE(id.empty());

    const auto patched = call(bhttp::verb::patch, "/Devices/" + id, R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "serialNumber", "value": "SN-0002b"},
                       {"op": "add", "path": "description", "value": "second floor"}]})");
    EXPECT_EQ(patched.status, 200u) << patched.body;
    EXPECT_EQ(values("scanner-2", "serialNumber"), std::vector<std::string>{"SN-0002b"});
    EXPECT_EQ(values("scanner-2", "description"), std::vector<std::string>{"second floor"});

    const auto put = call(bhttp::verb::put, "/Devices/" + id,
                          R"({"displayName": "scanner-2", "serialNumber": "SN-0002c"})");
    EXPECT_EQ(put.status, 200u) << put.body;
    EXPECT_EQ(values("scanner-2", "serialNumber"), std::vector<std::string>{"SN-0002c"});
    EXPECT_TRUE(values("scanner-2", "description").empty()) << "PUT replaces the whole resource";
}

TEST_F(FurtherResourceTypes, RenameKeepsTheId) {
    const auto id = create(R"({"displayName": "tablet-3"})");
    ASSERT_FALSE(id.empty());

    const auto r = call(bhttp::verb::patch, "/Devices/" + id, R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "tablet-3-renamed"}]})");
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_FALSE(device_entry("tablet-3"));
    const auto e = device_entry("tablet-3-renamed");
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "entryUUID"), std::vector<std::string>{id});
}

TEST_F(FurtherResourceTypes, SecondDeviceOfOneNameIs409) {
    ASSERT_FALSE(create(R"({"displayName": "router-4"})").empty());

    const auto r = call(bhttp::verb::post, "/Devices", R"({"displayName": "router-4"})");
    EXPECT_EQ(r.status, 409u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "uniqueness");
}

TEST_F(FurtherResourceTypes, DeleteRemovesTheEntry) {
    const auto id = create(R"({"displayName": "phone-5"})");
    ASSERT_FALSE(id.empty());

    const auto r = call(bhttp::verb::delete_, "/Devices/" + id);
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_FALSE(device_entry("phone-5"));
    EXPECT_EQ(call(bhttp::verb::get, "/Devices/" + id).status, 404u);
}

TEST_F(FurtherResourceTypes, MissingRequiredAttributeIsRefusedNamingIt) {
    const auto r = call(bhttp::verb::post, "/Devices", R"({"serialNumber": "SN-0006"})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidValue");
    EXPECT_NE(r.body.find("displayName"), std::string::npos) << r.body;
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.search(people, "(serialNumber=SN-0006)", {"cn"}).empty());
}

TEST_F(FurtherResourceTypes, DiscoveryListsTheTypeAndItsSchema) {
    const auto types = call(bhttp::verb::get, "/ResourceTypes/Device");
    ASSERT_EQ(types.status, 200u) << types.body;
    EXPECT_EQ(types.json().at("endpoint"), "/Devices");
    EXPECT_EQ(types.json().at("schema"), device_schema);

    const auto schema = call(bhttp::verb::get, std::string("/Schemas/") + device_schema);
    ASSERT_EQ(schema.status, 200u) << schema.body;
    bool serial = false;
    const auto definition = schema.json();
    for (const auto& a : definition.at("attributes").as_array()) {
        serial = serial || a.at("name") == "serialNumber";
    }
    EXPECT_TRUE(serial) << schema.body;
}

TEST_F(FurtherResourceTypes, RootSearchCoversTheFurtherType) {
    const auto id = create(R"({"displayName": "kiosk-8"})");
    ASSERT_FALSE(id.empty());

    const auto r = call(bhttp::verb::post, "/.search", R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "displayName eq \"kiosk-8\""})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), 1);
    EXPECT_EQ(r.json().at("Resources").at(0).at("id"), json::value(id));
}

TEST_F(FurtherResourceTypes, TypeWithMembersChangesThemValueByValue) {
    const auto user = call(bhttp::verb::post, "/Users", R"({"userName": "team.player"})");
    ASSERT_EQ(user.status, 201u) << user.body;
    const std::string user_id(user.json().at("id").as_string());
    const auto team = call(bhttp::verb::post, "/Teams", R"({"displayName": "blue-team"})");
    ASSERT_EQ(team.status, 201u) << team.body;
    const std::string team_id(team.json().at("id").as_string());
    ldap_admin admin(*slapd_);
    const std::string team_dn = std::string("cn=blue-team,") + roles;
    EXPECT_EQ(attribute_values(*admin.read(team_dn), "member"),
              std::vector<std::string>{"cn=empty-membership-placeholder,dc=example,dc=org"});

    const auto r = call(bhttp::verb::patch, "/Teams/" + team_id,
                        R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": ")" +
                            user_id + R"("}]}]})");
    EXPECT_EQ(r.status, 204u) << r.body;
    const auto e = admin.read(team_dn);
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "member"),
              std::vector<std::string>{std::string("uid=team.player,") + people});
    EXPECT_EQ(attribute_values(*e, "businessCategory"), std::vector<std::string>{"team"});
    const auto got = call(bhttp::verb::get, "/Teams/" + team_id);
    ASSERT_EQ(got.status, 200u) << got.body;
    EXPECT_EQ(got.json().at("members").at(0).at("value"), json::value(user_id));
    EXPECT_EQ(call(bhttp::verb::get, "/Groups/" + team_id).status, 404u);
}

TEST_F(FurtherResourceTypes, TenantWhoseProfileLacksTheTypeGets404) {
    const auto r = call(bhttp::verb::post, "/Devices", R"({"displayName": "foreign-9"})",
                        bridge_fixture::classlark_token);
    EXPECT_EQ(r.status, 404u) << r.body;
    EXPECT_NE(r.body.find("has no such resource type"), std::string::npos) << r.body;
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.search("dc=example,dc=org", "(cn=foreign-9)", {"cn"}).empty());
    EXPECT_EQ(
        call(bhttp::verb::get, "/ResourceTypes/Device", {}, bridge_fixture::classlark_token).status,
        404u);
}

}  // namespace
}  // namespace scimldap::testing
