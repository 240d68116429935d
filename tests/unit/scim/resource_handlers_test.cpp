// The /Users and /Groups handlers' own logic against the in-memory directory
// (tests/support/fake_directory.hpp): the retry of a write whose entry changed underneath, the
// placeholder of an empty group, If-Match, a uniqueness race, and the undo of a create whose
// later step failed. Each test shows the request, the answer and the entries it leaves; the
// same paths run against slapd in tests/integration.
#include "base/metrics.hpp"
#include "bridge/scim/groups_endpoint.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "bridge/scim/users_endpoint.hpp"
#include "mapping/profile_loader.hpp"
#include "tests/support/fake_directory.hpp"

#include "tests/support/route_call.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace scimldap::scim {
namespace {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using testing::fake_directory;
using testing::fake_op;

const ldap::dn suffix("dc=example,dc=org");
const ldap::dn people("ou=People,dc=example,dc=org");
const ldap::dn groups("ou=Groups,dc=example,dc=org");
const ldap::dn roles("ou=Roles,dc=example,dc=org");
const ldap::dn placeholder("cn=empty-membership-placeholder,dc=example,dc=org");

std::string shipped_profile_text() {
    std::ifstream in(std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                     "mapping/profiles/openldap-inetorgperson.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The default profile; `pending_mark` false removes its pending-create mark, so a create
/// whose later step fails is undone instead of left for the retry.
std::shared_ptr<const mapping::profile> default_profile(bool pending_mark) {
    std::string text = shipped_profile_text();
    if (!pending_mark) {
        const std::string mark = R"("pending_create": { "ldap": "scimCreatePending" },)";
        const auto at = text.find(mark);
        EXPECT_NE(at, std::string::npos);
        text.erase(at, mark.size());
    }
    auto loaded = mapping::parse_profile(text, "openldap-inetorgperson.json");
    if (!loaded) {
        ADD_FAILURE() << loaded.error().front().to_string();
        return nullptr;
    }
    return *loaded;
}

class ResourceHandlers : public ::testing::Test {
protected:
    explicit ResourceHandlers(bool pending_mark = true) {
        tenant_.name = "default";
        tenant_.users_base = people;
        tenant_.groups_base = groups;
        tenant_.roles_base = roles;
        tenant_.profile = default_profile(pending_mark);
        for (const auto& base : {suffix, people, groups, roles}) {
            dir_.put(base, {{"objectClass", {"organizationalUnit"}}});
        }
        register_user_routes(routes_, dir_, {});
        register_group_routes(routes_, dir_, {});
    }

    ~ResourceHandlers() override { test_hooks::between_read_and_write = nullptr; }

    http_response send(bhttp::verb method, const std::string& target, const std::string& body = "",
                       const std::string& if_match = "") {
        http_request req{method, "/scim/v2" + target, 11};
        req.set(bhttp::field::host, "bridge.example.org");
        if (!body.empty()) {
            req.set(bhttp::field::content_type, "application/scim+json");
            req.body() = body;
            req.prepare_payload();
        }
        if (!if_match.empty()) {
            req.set(bhttp::field::if_match, if_match);
        }
        return testing::call_route(routes_, req, tenant_);
    }

    static json::object body(const http_response& res) {
        return json::parse(res.body()).as_object();
    }

    /// Creates a user through the API; returns its id.
    std::string create_user(const std::string& user_name, const std::string& extra = "") {
        const auto res = send(bhttp::verb::post, "/Users",
                              R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                              R"("userName":")" +
                                  user_name + "\"" + extra + "}");
        EXPECT_EQ(res.result_int(), 201u) << res.body();
        return res.result_int() == 201 ? std::string(body(res).at("id").as_string()) : "";
    }

    std::vector<std::string> values(const ldap::dn& name, std::string_view attribute) const {
        const auto e = dir_.get(name);
        const auto* v = e ? e->find(attribute) : nullptr;
        return v ? *v : std::vector<std::string>{};
    }

    fake_directory dir_;
    router routes_{"/scim/v2"};
    tenant_view tenant_;
};

class ResourceHandlersWithoutPendingMark : public ResourceHandlers {
protected:
    ResourceHandlersWithoutPendingMark() : ResourceHandlers(false) {}
};

const ldap::dn alice("uid=alice,ou=People,dc=example,dc=org");

TEST_F(ResourceHandlers, APatchWhoseEntryChangedAfterItsReadIsAppliedAgainToTheNewVersion) {
    const std::string id = create_user("alice");
    int reads = 0;
    test_hooks::between_read_and_write = [&](std::string_view) {
        if (++reads == 1) {  // another client writes between this request's read and write
            ASSERT_TRUE(dir_.modify_now(alice, {{ldap::mod_op::replace, "title", {"Engineer"}}}));
        }
    };
    const auto modifies_before = dir_.count(fake_op::modify);

    const auto res =
        send(bhttp::verb::patch, "/Users/" + id,
             R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
             R"("Operations":[{"op":"replace","path":"displayName","value":"Alice"}]})");

    EXPECT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(reads, 2);  // read, assertion failed, read again
    EXPECT_EQ(dir_.count(fake_op::modify) - modifies_before, 2u);
    EXPECT_EQ(values(alice, "displayName"), std::vector<std::string>{"Alice"});
    EXPECT_EQ(values(alice, "title"), std::vector<std::string>{"Engineer"});  // not lost
}

TEST_F(ResourceHandlers, ARetriedWriteIsCountedByItsReason) {
    const std::string id = create_user("alice");
    auto& retries = metrics::registry::global()
                        .counters("scimldap_write_retries_total", "", {"reason"})
                        .with({"assertion_failed"});
    const auto before = retries.value();
    int reads = 0;
    test_hooks::between_read_and_write = [&](std::string_view) {
        if (++reads == 1) {
            ASSERT_TRUE(dir_.modify_now(alice, {{ldap::mod_op::replace, "title", {"Tester"}}}));
        }
    };

    const auto res =
        send(bhttp::verb::patch, "/Users/" + id,
             R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
             R"("Operations":[{"op":"replace","path":"displayName","value":"Alice"}]})");

    EXPECT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(retries.value(), before + 1);
}

TEST_F(ResourceHandlers, AnIfMatchWithAnOlderVersionIs412AndWritesNothing) {
    const std::string id = create_user("alice");
    const auto read = send(bhttp::verb::get, "/Users/" + id);
    const std::string etag(read[bhttp::field::etag]);
    ASSERT_FALSE(etag.empty());
    ASSERT_TRUE(dir_.modify_now(alice, {{ldap::mod_op::replace, "title", {"Engineer"}}}));
    const auto modifies_before = dir_.count(fake_op::modify);

    const auto res = send(bhttp::verb::put, "/Users/" + id,
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                          R"("userName":"alice","displayName":"Alice"})",
                          etag);

    EXPECT_EQ(res.result_int(), 412u) << res.body();
    EXPECT_EQ(body(res).at("status"), "412");
    EXPECT_EQ(dir_.count(fake_op::modify), modifies_before);
    EXPECT_TRUE(values(alice, "displayName").empty());
    EXPECT_EQ(values(alice, "title"), std::vector<std::string>{"Engineer"});
}

TEST_F(ResourceHandlers, AGroupDeleteWithAnOlderIfMatchIs412AndTheGroupStays) {
    const auto created = send(bhttp::verb::post, "/Groups",
                              R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],)"
                              R"("displayName":"staff"})");
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const std::string id(body(created).at("id").as_string());
    const std::string etag(created[bhttp::field::etag]);
    const ldap::dn staff("cn=staff,ou=Groups,dc=example,dc=org");
    ASSERT_TRUE(dir_.modify_now(staff, {{ldap::mod_op::replace, "description", {"changed"}}}));

    const auto res = send(bhttp::verb::delete_, "/Groups/" + id, "", etag);

    EXPECT_EQ(res.result_int(), 412u) << res.body();
    EXPECT_TRUE(dir_.get(staff).has_value());
}

TEST_F(ResourceHandlers, AGroupCreatedWithoutMembersHoldsThePlaceholderAndShowsNoMember) {
    const auto res = send(bhttp::verb::post, "/Groups",
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],)"
                          R"("displayName":"staff","members":[]})");

    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const ldap::dn staff("cn=staff,ou=Groups,dc=example,dc=org");
    EXPECT_EQ(values(staff, "member"), std::vector<std::string>{placeholder.str()});
    const auto shown = body(res);
    EXPECT_TRUE(!shown.contains("members") || shown.at("members").as_array().empty()) << res.body();
}

TEST_F(ResourceHandlers, RemovingTheLastMemberLeavesThePlaceholderAndClearsMemberOf) {
    const std::string user = create_user("alice");
    const auto created = send(bhttp::verb::post, "/Groups",
                              R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],)"
                              R"("displayName":"staff","members":[{"value":")" +
                                  user + R"("}]})");
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const std::string id(body(created).at("id").as_string());
    const ldap::dn staff("cn=staff,ou=Groups,dc=example,dc=org");
    ASSERT_EQ(values(staff, "member"), std::vector<std::string>{alice.str()});

    const auto res = send(bhttp::verb::patch, "/Groups/" + id,
                          R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                          R"("Operations":[{"op":"remove","path":"members[value eq \")" +
                              user + R"(\"]"}]})");

    EXPECT_EQ(res.result_int(), 204u) << res.body();
    EXPECT_EQ(values(staff, "member"), std::vector<std::string>{placeholder.str()});
    EXPECT_TRUE(values(alice, "memberOf").empty());
    const auto read = send(bhttp::verb::get, "/Groups/" + id);
    const auto shown = body(read);
    EXPECT_TRUE(!shown.contains("members") || shown.at("members").as_array().empty())
        << read.body();
}

TEST_F(ResourceHandlers, ARenameToAUserNameTakenMeanwhileIs409AndTheEntryKeepsItsName) {
    const std::string id = create_user("alice");
    test_hooks::between_read_and_write = [&](std::string_view) {
        // Another client creates the name this request renames to, after the request read.
        dir_.put(ldap::dn("uid=alicia,ou=People,dc=example,dc=org"),
                 {{"objectClass", {"inetOrgPerson"}},
                  {"uid", {"alicia"}},
                  {"cn", {"x"}},
                  {"sn", {"x"}}});
    };

    const auto res = send(bhttp::verb::put, "/Users/" + id,
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                          R"("userName":"alicia"})");

    EXPECT_EQ(res.result_int(), 409u) << res.body();
    EXPECT_EQ(body(res).at("scimType"), "uniqueness");
    EXPECT_EQ(values(alice, "uid"), std::vector<std::string>{"alice"});
    EXPECT_EQ(dir_.get(alice)->first("entryUUID"), id);
}

TEST_F(ResourceHandlers, TheSecondCreateOfOneUserNameIs409) {
    create_user("alice");

    const auto res = send(bhttp::verb::post, "/Users",
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                          R"("userName":"alice"})");

    EXPECT_EQ(res.result_int(), 409u) << res.body();
    EXPECT_EQ(body(res).at("scimType"), "uniqueness");
    EXPECT_EQ(dir_.below(people).size(), 1u);
}

TEST_F(ResourceHandlersWithoutPendingMark, ACreateWhoseRoleJoinFailsIsUndone) {
    dir_.fail(fake_op::modify, ldap::rc::unavailable);  // the role group's modify

    const auto res = send(bhttp::verb::post, "/Users",
                          R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                          R"("userName":"alice","userType":"Employee"})");

    EXPECT_EQ(res.result_int(), 503u) << res.body();
    EXPECT_FALSE(res[bhttp::field::retry_after].empty());
    EXPECT_EQ(dir_.count(fake_op::add), 1u);
    EXPECT_EQ(dir_.count(fake_op::remove), 1u);
    EXPECT_TRUE(dir_.below(people).empty());  // no half-made entry for the retry to trip on
    EXPECT_TRUE(dir_.below(roles).empty());
}

TEST_F(ResourceHandlers, ACreateWhoseRoleJoinFailsIsLeftPendingAndTheRetryCompletesIt) {
    dir_.fail(fake_op::modify, ldap::rc::unavailable);
    const std::string request = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                                R"("userName":"alice","userType":"Employee"})";

    const auto first = send(bhttp::verb::post, "/Users", request);
    ASSERT_EQ(first.result_int(), 503u) << first.body();
    EXPECT_EQ(values(alice, "scimCreatePending"), std::vector<std::string>{"TRUE"});
    const auto retry = send(bhttp::verb::post, "/Users", request);

    EXPECT_EQ(retry.result_int(), 201u) << retry.body();
    EXPECT_TRUE(values(alice, "scimCreatePending").empty());
    EXPECT_TRUE(values(alice, "pwdAccountLockedTime").empty());
    const ldap::dn role("cn=Employee,ou=Roles,dc=example,dc=org");
    EXPECT_EQ(values(role, "member"), std::vector<std::string>{alice.str()});
    EXPECT_EQ(values(alice, "memberOf"), std::vector<std::string>{role.str()});
}

}  // namespace
}  // namespace scimldap::scim
