// PATCH /Users on a real directory (RFC 7644 §3.5.2): the requests Okta and Entra ID really
// send, all-or-nothing multi-op requests, conditional writes against concurrent LDAP edits.
#include "bridge/scim/test_hooks.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

class UsersPatch : public bridge_suite<UsersPatch> {
protected:
    void TearDown() override { scim::test_hooks::between_read_and_write = nullptr; }

    /// Creates a user and returns its id.
    static std::string create(const std::string& body) {
        const auto r = bridge_->request(bhttp::verb::post, "/scim/v2/Users",
                                        bridge_fixture::default_token, body);
        EXPECT_EQ(r.status, 201u) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    static http_reply patch(const std::string& id, const std::string& body) {
        return bridge_->request(bhttp::verb::patch, "/scim/v2/Users/" + id,
                                bridge_fixture::default_token, body);
    }
    static ldap::entry entry(const std::string& uid) {
        ldap_admin admin(*slapd_);
        auto e = admin.read("uid=" + uid + ",ou=People,dc=example,dc=org");
        EXPECT_TRUE(e) << uid;
        return e.value_or(ldap::entry{});
    }
    static std::string value(const ldap::entry& e, const std::string& attr) {
        return e.first(attr).value_or("<absent>");
    }
};

std::string basic_user(const std::string& uid) {
    return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + uid +
           R"(","name":{"givenName":"Pat","familyName":"Tester"},"title":"Engineer",
              "emails":[{"value":")" +
           uid + R"(@example.org","type":"work","primary":true}],
              "password":"initial-Secret-1","active":true})";
}

TEST_F(UsersPatch, OktaDeactivateLocksTheAccountAndReactivateUnlocksIt) {
    const auto id = create(basic_user("okta.deact"));
    const std::string dn = "uid=okta.deact,ou=People,dc=example,dc=org";
    ldap_admin admin(*slapd_);
    ASSERT_TRUE(admin.can_bind(dn, "initial-Secret-1"));

    auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","value":{"active":false}}]})");
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("active"), false);
    EXPECT_EQ(value(entry("okta.deact"), "pwdAccountLockedTime"), "000001010000Z");
    EXPECT_FALSE(admin.can_bind(dn, "initial-Secret-1"));

    r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","value":{"active":true}}]})");
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("active"), true);
    EXPECT_EQ(value(entry("okta.deact"), "pwdAccountLockedTime"), "<absent>");
    EXPECT_TRUE(admin.can_bind(dn, "initial-Secret-1"));
}

TEST_F(UsersPatch, OktaProfileUpdateWithoutPathSetsEachKey) {
    const auto id = create(basic_user("okta.profile"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","value":{"name":{"givenName":"Patricia"},"title":"Lead",
                       "displayName":"Patricia T."}}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("name").at("givenName"), "Patricia");
    const auto e = entry("okta.profile");
    EXPECT_EQ(value(e, "givenName"), "Patricia");
    EXPECT_EQ(value(e, "sn"), "Tester");
    EXPECT_EQ(value(e, "title"), "Lead");
    EXPECT_EQ(value(e, "displayName"), "Patricia T.");
}

TEST_F(UsersPatch, EntraDisableWithStringFalse) {
    const auto id = create(basic_user("entra.disable"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"Replace","path":"active","value":"False"}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("active"), false);
    EXPECT_EQ(value(entry("entra.disable"), "pwdAccountLockedTime"), "000001010000Z");
}

TEST_F(UsersPatch, EntraUpdateWithFilteredPathDottedAndUrnKeys) {
    const auto id = create(basic_user("entra.update"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[
          {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updated@example.org"},
          {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom",
             "name.familyName":"Unua",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto e = entry("entra.update");
    EXPECT_EQ(value(e, "mail"), "updated@example.org");
    EXPECT_EQ(e.find("mail")->size(), 1u);  // replaced, not a second work email
    EXPECT_EQ(value(e, "displayName"), "Bjfe");
    EXPECT_EQ(value(e, "givenName"), "Kkom");
    EXPECT_EQ(value(e, "sn"), "Unua");
    EXPECT_EQ(value(e, "employeeNumber"), "Aklq");
    EXPECT_EQ(r.json()
                  .at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                  .at("employeeNumber"),
              "Aklq");
}

TEST_F(UsersPatch, EntraManagerSetThenRemove) {
    const auto boss = create(basic_user("entra.boss"));
    const auto id = create(basic_user("entra.report"));
    auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://x/Users/)" +
                           boss + R"(","value":")" + boss + R"("}]}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(value(entry("entra.report"), "manager"),
              "uid=entra.boss,ou=People,dc=example,dc=org");
    EXPECT_EQ(r.json()
                  .at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                  .at("manager")
                  .at("value"),
              json::value(boss));

    r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"Replace",
          "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(value(entry("entra.report"), "manager"), "<absent>");
}

TEST_F(UsersPatch, RenamedManagerStaysTheManagerOfItsReports) {
    // The bridge rewrites the reports' manager DNs itself (slapd runs no refint).
    const auto boss = create(basic_user("renamed.boss"));
    const auto id = create(basic_user("renamed.report"));
    auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"add","path":"manager","value":")" +
                           boss + R"("}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    r = patch(boss, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"userName","value":"renamed.boss2"}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(value(entry("renamed.report"), "manager"),
              "uid=renamed.boss2,ou=People,dc=example,dc=org");
    r = bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id, bridge_fixture::default_token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json()
                  .at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                  .at("manager")
                  .at("value"),
              json::value(boss));
}

TEST_F(UsersPatch, DeletedManagerLeavesNoReferenceBehind) {
    const auto boss = create(basic_user("deleted.boss"));
    const auto id = create(basic_user("deleted.report"));
    auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"add","path":"manager","value":")" +
                           boss + R"("}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    ASSERT_EQ(value(entry("deleted.report"), "manager"),
              "uid=deleted.boss,ou=People,dc=example,dc=org");
    r = bridge_->request(bhttp::verb::delete_, "/scim/v2/Users/" + boss,
                         bridge_fixture::default_token);
    ASSERT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(value(entry("deleted.report"), "manager"), "<absent>");
}

TEST_F(UsersPatch, ManagerThatIsNoUserOfTheTenantIs400AndNothingChanges) {
    const auto id = create(basic_user("bad.manager"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"title","value":"Changed"},
          {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
           "value":"00000000-0000-4000-8000-000000000000"}]})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidValue");
    EXPECT_EQ(value(entry("bad.manager"), "title"), "Engineer");
}

TEST_F(UsersPatch, MultiOpRequestWhoseLastOpFailsLeavesTheEntryUnchanged) {
    const auto id = create(basic_user("multi.fail"));
    const auto before = entry("multi.fail");
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"title","value":"Changed"},
                      {"op":"replace","path":"name.givenName","value":"Changed"},
                      {"op":"replace","path":"id","value":"forged"}]})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "mutability");
    const auto after = entry("multi.fail");
    EXPECT_EQ(value(after, "title"), "Engineer");
    EXPECT_EQ(value(after, "givenName"), "Pat");
    EXPECT_EQ(value(after, "entryCSN"), value(before, "entryCSN"));
}

TEST_F(UsersPatch, NoOpPatchLeavesModifyTimestampUnchanged) {
    const auto id = create(basic_user("noop.patch"));
    const auto before = entry("noop.patch");
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"title","value":"Engineer"},
                      {"op":"replace","value":{"active":true}}]})");
    EXPECT_EQ(r.status, 200u) << r.body;
    const auto after = entry("noop.patch");
    EXPECT_EQ(value(after, "modifyTimestamp"), value(before, "modifyTimestamp"));
    EXPECT_EQ(value(after, "entryCSN"), value(before, "entryCSN"));
}

TEST_F(UsersPatch, ConcurrentLdapEditBetweenReadAndWriteIsPreserved) {
    const auto id = create(basic_user("concurrent"));
    std::atomic<int> injected{0};
    scim::test_hooks::between_read_and_write = [&](std::string_view) {
        if (injected.fetch_add(1) == 0) {  // only the first attempt sees a concurrent edit
            ldap_admin admin(*slapd_);
            admin.apply_ldif(
                "dn: uid=concurrent,ou=People,dc=example,dc=org\nchangetype: modify\n"
                "replace: telephoneNumber\ntelephoneNumber: +1 555 0100\n");
        }
    };
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"title","value":"Architect"}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_GE(injected.load(), 2);  // the write was re-applied after re-reading
    const auto e = entry("concurrent");
    EXPECT_EQ(value(e, "title"), "Architect");
    EXPECT_EQ(value(e, "telephoneNumber"), "+1 555 0100");  // the admin's edit survived
}

TEST_F(UsersPatch, StaleIfMatchIs412AndNothingChanges) {
    const auto id = create(basic_user("stale.patch"));
    const auto r =
        http_request(bridge_->port(), bhttp::verb::patch, "/scim/v2/Users/" + id,
                     {{"Authorization", std::string("Bearer ") + bridge_fixture::default_token},
                      {"Content-Type", "application/scim+json"},
                      {"If-Match", "W/\"20000101000000.000000Z#000000#000#000000\""}},
                     R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations":[{"op":"replace","path":"title","value":"Changed"}]})");
    EXPECT_EQ(r.status, 412u) << r.body;
    EXPECT_EQ(value(entry("stale.patch"), "title"), "Engineer");
}

TEST_F(UsersPatch, PasswordThroughPatchIsSetByPasswordModifyAndNeverReturned) {
    const auto id = create(basic_user("patch.password"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"password","value":"Changed-Secret-2"}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body.find("Changed-Secret-2"), std::string::npos);
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(
        admin.can_bind("uid=patch.password,ou=People,dc=example,dc=org", "Changed-Secret-2"));
    EXPECT_FALSE(
        admin.can_bind("uid=patch.password,ou=People,dc=example,dc=org", "initial-Secret-1"));
}

TEST_F(UsersPatch, UserNameReplaceRenamesTheEntryAndKeepsTheId) {
    const auto id = create(basic_user("before.rename"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"Replace","path":"userName","value":"after.rename"}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("id"), json::value(id));
    EXPECT_EQ(r.json().at("userName"), "after.rename");
    ldap_admin admin(*slapd_);
    EXPECT_FALSE(admin.read("uid=before.rename,ou=People,dc=example,dc=org"));
    EXPECT_EQ(value(entry("after.rename"), "entryUUID"), id);
}

TEST_F(UsersPatch, RemovingTheRequiredUserNameIs400) {
    const auto id = create(basic_user("keep.username"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"remove","path":"userName"}]})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(value(entry("keep.username"), "uid"), "keep.username");
}

TEST_F(UsersPatch, UnmappedPathIsInvalidPath) {
    const auto id = create(basic_user("bad.path"));
    const auto r = patch(id, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"nosuchattribute","value":"x"}]})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidPath");
    EXPECT_NE(std::string(r.json().at("detail").as_string()).find("nosuchattribute"),
              std::string::npos);
}

}  // namespace
}  // namespace scimldap::testing
