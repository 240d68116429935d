// /Groups over HTTP against the real server and slapd: groupOfNames with members by id,
// value-level member changes in every IdP form, the empty-group placeholder, nested groups,
// renames, tenant isolation and the exact Okta and Entra ID group requests. Every test checks
// the HTTP answer and the LDAP entry.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* placeholder = "cn=empty-membership-placeholder,dc=example,dc=org";
constexpr const char* groups_base = "ou=Groups,dc=example,dc=org";
constexpr const char* people_base = "ou=People,dc=example,dc=org";
constexpr const char* patch_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string user_dn(const std::string& user_name) {
    return "uid=" + user_name + "," + people_base;
}

std::string group_dn(const std::string& name) {
    return "cn=" + name + "," + groups_base;
}

/// A PatchOp body around the operations (JSON array text).
std::string patch_body(const std::string& operations) {
    return std::string("{\"schemas\":[\"") + patch_schema + "\"],\"Operations\":" + operations +
           "}";
}

class GroupsBase : public ::testing::Test {
protected:
    static void start_all() {
        slapd_ = new slapd_launcher();
        slapd_->start();
        bridge_ = new bridge_fixture(*slapd_);
        bridge_->start();
        admin_ = new ldap_admin(*slapd_);
    }
    static void stop_all() {
        delete admin_;
        delete bridge_;
        delete slapd_;
    }

    static http_reply send(bhttp::verb method, const std::string& target,
                           const std::string& body = {},
                           const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(method, target, token, body);
    }

    /// A unique name per test (and per call), so tests never see each other's entries.
    static std::string unique(const std::string& stem) {
        static int counter = 0;
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        return lower(std::string(info->name()).substr(0, 24)) + "-" + stem + "-" +
               std::to_string(++counter);
    }

    /// POST /Users in the default tenant; returns the id.
    static std::string create_user(const std::string& user_name,
                                   const std::string& token = bridge_fixture::default_token,
                                   const std::string& extra = "") {
        const std::string body =
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" +
            user_name + "\",\"name\":{\"givenName\":\"Test\",\"familyName\":\"User\"}" + extra +
            "}";
        const auto r = send(bhttp::verb::post, "/scim/v2/Users", body, token);
        EXPECT_EQ(r.status, 201u) << r.body;
        return std::string(r.json().at("id").as_string());
    }

    /// POST /Groups; returns the whole reply.
    static http_reply post_group(const std::string& display_name,
                                 const std::vector<std::string>& member_ids = {},
                                 const std::string& token = bridge_fixture::default_token) {
        json::object body{{"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                          {"displayName", display_name}};
        json::array members;
        for (const auto& id : member_ids) {
            members.push_back(json::object{{"value", id}});
        }
        body["members"] = std::move(members);
        return send(bhttp::verb::post, "/scim/v2/Groups", json::serialize(body), token);
    }

    static std::string create_group(const std::string& display_name,
                                    const std::vector<std::string>& member_ids = {}) {
        const auto r = post_group(display_name, member_ids);
        EXPECT_EQ(r.status, 201u) << r.body;
        return std::string(r.json().at("id").as_string());
    }

    static http_reply patch(const std::string& id, const std::string& operations,
                            const std::string& query = "") {
        return send(bhttp::verb::patch, "/scim/v2/Groups/" + id + query, patch_body(operations));
    }

    /// The member values of the LDAP entry, lower-cased (empty when the entry is absent).
    static std::set<std::string> ldap_members(const std::string& dn) {
        std::set<std::string> out;
        const auto e = admin_->read(dn, {"member"});
        if (e) {
            for (const auto& v : attribute_values(*e, "member")) {
                out.insert(lower(v));
            }
        }
        return out;
    }

    static std::set<std::string> dns(std::initializer_list<std::string> names) {
        std::set<std::string> out;
        for (const auto& n : names) {
            out.insert(lower(n));
        }
        return out;
    }

    /// The member ids GET /Groups/{id} shows.
    static std::set<std::string> scim_member_ids(const std::string& id) {
        const auto r = send(bhttp::verb::get, "/scim/v2/Groups/" + id);
        EXPECT_EQ(r.status, 200u) << r.body;
        std::set<std::string> out;
        const auto body = r.json().as_object();
        if (const auto* m = body.if_contains("members")) {
            for (const auto& v : m->as_array()) {
                out.insert(std::string(v.at("value").as_string()));
            }
        }
        return out;
    }

    static std::string entry_uuid(const std::string& dn) {
        const auto e = admin_->read(dn, {"entryUUID"});
        return e ? e->first("entryUUID").value_or("") : "";
    }

    static std::vector<std::string> member_of(const std::string& dn) {
        std::vector<std::string> out;
        if (const auto e = admin_->read(dn, {"memberOf"})) {
            for (const auto& v : attribute_values(*e, "memberOf")) {
                out.push_back(lower(v));
            }
        }
        return out;
    }

    static void expect_error(const http_reply& r, unsigned status, const std::string& scim_type,
                             const std::string& detail_part = "") {
        EXPECT_EQ(r.status, status) << r.body;
        const auto body = r.json().as_object();
        EXPECT_EQ(body.at("status").as_string(), std::to_string(status));
        if (!scim_type.empty()) {
            EXPECT_EQ(body.at("scimType").as_string(), scim_type) << r.body;
        }
        if (!detail_part.empty()) {
            EXPECT_NE(std::string(body.at("detail").as_string()).find(detail_part),
                      std::string::npos)
                << r.body;
        }
    }

    static slapd_launcher* slapd_;
    static bridge_fixture* bridge_;
    static ldap_admin* admin_;
};
slapd_launcher* GroupsBase::slapd_ = nullptr;
bridge_fixture* GroupsBase::bridge_ = nullptr;
ldap_admin* GroupsBase::admin_ = nullptr;

// --- create, read, list, delete --------------------------------------------------------------

class GroupsCrud : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }
};

TEST_F(GroupsCrud, EmptyGroupHoldsOnlyThePlaceholderAndShowsNoMembers) {
    const std::string name = unique("g");
    const auto r = post_group(name);
    ASSERT_EQ(r.status, 201u) << r.body;
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("displayName").as_string(), name);
    EXPECT_FALSE(body.contains("members")) << r.body;
    EXPECT_EQ(body.at("id").as_string(), entry_uuid(group_dn(name)));
    EXPECT_EQ(r.header("Location"), std::string(body.at("meta").at("location").as_string()));
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsCrud, CreateWithMembersWritesTheirDnsAndShowsIds) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g");
    const auto r = post_group(name, {id1, id2});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1), user_dn(u2)}));
    const auto members = r.json().at("members").as_array();
    ASSERT_EQ(members.size(), 2u);
    std::set<std::string> ids;
    for (const auto& m : members) {
        ids.insert(std::string(m.at("value").as_string()));
        EXPECT_EQ(m.at("type").as_string(), "User");
        EXPECT_NE(std::string(m.at("$ref").as_string()).find("/scim/v2/Users/"), std::string::npos);
        EXPECT_EQ(m.at("display").as_string(), "Test User");
    }
    EXPECT_EQ(ids, (std::set<std::string>{id1, id2}));
    // memberOf of the users follows (memberof overlay), and /Users shows the group.
    EXPECT_EQ(member_of(user_dn(u1)), std::vector<std::string>{lower(group_dn(name))});
    const auto user = send(bhttp::verb::get, "/scim/v2/Users/" + id1);
    EXPECT_EQ(user.json().at("groups").as_array().at(0).at("value").as_string(),
              r.json().at("id").as_string());
}

TEST_F(GroupsCrud, ExcludedAttributesMembersOmitsMembers) {
    const std::string id = create_group(unique("g"), {create_user(unique("u"))});
    const auto r = send(bhttp::verb::get, "/scim/v2/Groups/" + id + "?excludedAttributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_FALSE(r.json().as_object().contains("members")) << r.body;
    EXPECT_EQ(r.json().at("id").as_string(), id);
}

TEST_F(GroupsCrud, UnknownGroupIdIs404) {
    const auto r = send(bhttp::verb::get, "/scim/v2/Groups/3f1c9a52-0000-1000-8000-000000000000");
    expect_error(r, 404, "");
}

TEST_F(GroupsCrud, UnknownMemberIdOnCreateIs400AndNothingIsWritten) {
    const std::string name = unique("g");
    const std::string bogus = "0badc0de-0000-1000-8000-000000000000";
    const auto r = post_group(name, {create_user(unique("u")), bogus});
    expect_error(r, 400, "invalidValue", bogus);
    EXPECT_FALSE(admin_->read(group_dn(name)));
}

TEST_F(GroupsCrud, DisplayNameTakenIs409OnCreateAndOnRename) {
    const std::string taken = unique("g");
    create_group(taken);
    expect_error(post_group(taken), 409, "uniqueness");
    const std::string other = unique("g");
    const std::string id = create_group(other);
    const auto r =
        patch(id, R"([{"op":"replace","path":"displayName","value":")" + taken + R"("}])");
    expect_error(r, 409, "uniqueness");
    EXPECT_TRUE(admin_->read(group_dn(other)));
    EXPECT_EQ(entry_uuid(group_dn(other)), id);
}

TEST_F(GroupsCrud, NoContentAnswerCarriesNoContentLength) {
    const std::string id = create_group(unique("g"));
    const auto r = send(bhttp::verb::delete_, "/scim/v2/Groups/" + id);
    ASSERT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(r.header("Content-Length"), "");  // RFC 9110 §8.6
    EXPECT_EQ(r.body, "");
}

TEST_F(GroupsCrud, DeleteRemovesTheEntryAndTheMembersMemberOf) {
    const std::string u = unique("u");
    const std::string name = unique("g");
    const std::string id = create_group(name, {create_user(u)});
    ASSERT_EQ(member_of(user_dn(u)).size(), 1u);
    const auto r = send(bhttp::verb::delete_, "/scim/v2/Groups/" + id);
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_FALSE(admin_->read(group_dn(name)));
    EXPECT_TRUE(member_of(user_dn(u)).empty());
    EXPECT_EQ(send(bhttp::verb::get, "/scim/v2/Groups/" + id).status, 404u);
}

TEST_F(GroupsCrud, PutReplacesNameExternalIdAndMembers) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g"), renamed = unique("g");
    const std::string id = create_group(name, {id1});
    const std::string body =
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":")" + id +
        R"(","displayName":")" + renamed + R"(","externalId":"ext-9","members":[{"value":")" + id2 +
        R"("}]})";
    const auto r = send(bhttp::verb::put, "/scim/v2/Groups/" + id, body);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("displayName").as_string(), renamed);
    EXPECT_EQ(r.json().at("externalId").as_string(), "ext-9");
    EXPECT_FALSE(admin_->read(group_dn(name)));
    EXPECT_EQ(entry_uuid(group_dn(renamed)), id);
    EXPECT_EQ(ldap_members(group_dn(renamed)), dns({user_dn(u2)}));
    const auto e = admin_->read(group_dn(renamed), {"scimExternalId"});
    EXPECT_EQ(attribute_values(*e, "scimExternalId"), std::vector<std::string>{"ext-9"});
}

TEST_F(GroupsCrud, PutWithoutMembersKeepsTheMembers) {
    const std::string u = unique("u");
    const std::string name = unique("g");
    const std::string id = create_group(name, {create_user(u)});
    const auto r = send(bhttp::verb::put, "/scim/v2/Groups/" + id,
                        R"({"displayName":")" + name + R"(","externalId":"x1"})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u)}));
}

TEST_F(GroupsCrud, ListFiltersSortsAndPages) {
    const std::string stem = unique("list");
    for (const char* suffix : {"c", "a", "b"}) {
        create_group(stem + suffix);
    }
    const auto r = send(bhttp::verb::get, "/scim/v2/Groups?filter=displayName%20sw%20%22" + stem +
                                              "%22&sortBy=displayName&startIndex=2&count=1");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("totalResults").as_int64(), 3);
    EXPECT_EQ(body.at("startIndex").as_int64(), 2);
    ASSERT_EQ(body.at("Resources").as_array().size(), 1u);
    EXPECT_EQ(body.at("Resources").as_array().at(0).at("displayName").as_string(), stem + "b");
}

TEST_F(GroupsCrud, SearchEndpointAnswersASearchRequest) {
    const std::string name = unique("g");
    const std::string id = create_group(name, {create_user(unique("u"))});
    const std::string body =
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \")" +
        name + R"(\"","excludedAttributes":["members"],"startIndex":1,"count":10})";
    const auto r = send(bhttp::verb::post, "/scim/v2/Groups/.search", body);
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto resources = r.json().at("Resources").as_array();
    ASSERT_EQ(resources.size(), 1u);
    EXPECT_EQ(resources.at(0).at("id").as_string(), id);
    EXPECT_FALSE(resources.at(0).as_object().contains("members"));
}

TEST_F(GroupsCrud, MembersValueFilterFindsTheGroupsOfAUser) {
    const std::string uid = create_user(unique("u"));
    const std::string a = create_group(unique("g"), {uid});
    const std::string b = create_group(unique("g"), {uid, create_user(unique("u"))});
    create_group(unique("g"), {create_user(unique("u"))});
    const auto r = send(bhttp::verb::get, "/scim/v2/Groups?filter=members.value%20eq%20%22" + uid +
                                              "%22&excludedAttributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    std::set<std::string> ids;
    const auto resources = r.json().at("Resources").as_array();
    for (const auto& g : resources) {
        ids.insert(std::string(g.at("id").as_string()));
        EXPECT_FALSE(g.as_object().contains("members"));
    }
    EXPECT_EQ(ids, (std::set<std::string>{a, b}));
    // An id that names nothing matches nothing (no error in a query).
    const auto none =
        send(bhttp::verb::get, "/scim/v2/Groups?filter=members.value%20eq%20%22nobody%22");
    ASSERT_EQ(none.status, 200u) << none.body;
    EXPECT_EQ(none.json().at("totalResults").as_int64(), 0);
}

TEST_F(GroupsCrud, RoleGroupsAreNotScimGroups) {
    create_user(unique("u"), bridge_fixture::default_token, R"(,"userType":"Contractor")");
    ASSERT_FALSE(admin_->search("ou=Roles,dc=example,dc=org", "(cn=Contractor)", {"cn"}).empty());
    const auto r =
        send(bhttp::verb::get, "/scim/v2/Groups?filter=displayName%20eq%20%22Contractor%22");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults").as_int64(), 0);
}

// --- PATCH members ---------------------------------------------------------------------------

class GroupsPatch : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }
};

TEST_F(GroupsPatch, AddingTheFirstMemberTakesThePlaceholderOut) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name);
    const auto r =
        patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + uid + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u)}));
    EXPECT_EQ(scim_member_ids(id), std::set<std::string>{uid});
}

TEST_F(GroupsPatch, AddingAPresentMemberIsNotAnError) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name, {uid});
    const std::string op =
        R"([{"op":"add","path":"members","value":[{"value":")" + uid + R"("}]}])";
    EXPECT_EQ(patch(id, op).status, 204u);
    EXPECT_EQ(patch(id, op).status, 204u);
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u)}));
}

TEST_F(GroupsPatch, AddingOneOfSeveralPresentOnesAddsTheOthers) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1});
    const auto r = patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + id1 +
                                 R"("},{"value":")" + id2 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1), user_dn(u2)}));
}

TEST_F(GroupsPatch, RemoveByValueFilterRemovesOnlyThatMember) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1, id2});
    const auto r = patch(id, R"([{"op":"remove","path":"members[value eq \")" + id1 + R"(\"]"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u2)}));
}

TEST_F(GroupsPatch, RemovingAnAbsentMemberIsNotAnError) {
    const std::string u1 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(unique("u"));
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1});
    auto r = patch(id, R"([{"op":"remove","path":"members[value eq \")" + id2 + R"(\"]"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    r = patch(
        id,
        R"([{"op":"remove","path":"members[value eq \"0badc0de-0000-1000-8000-000000000000\"]"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1)}));
}

TEST_F(GroupsPatch, RemoveWithValueListRemovesOnlyTheListedMembers) {
    const std::string u1 = unique("u"), u2 = unique("u"), u3 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2), id3 = create_user(u3);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1, id2, id3});
    const auto r = patch(id, R"([{"op":"Remove","path":"members","value":[{"$ref":null,"value":")" +
                                 id1 + R"("},{"value":")" + id3 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u2)}));
}

TEST_F(GroupsPatch, RemovingTheLastMemberRestoresThePlaceholder) {
    const std::string uid = create_user(unique("u"));
    const std::string name = unique("g");
    const std::string id = create_group(name, {uid});
    const auto r = patch(id, R"([{"op":"remove","path":"members[value eq \")" + uid + R"(\"]"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
    EXPECT_TRUE(scim_member_ids(id).empty());
}

TEST_F(GroupsPatch, RemoveMembersWithoutValueEmptiesTheGroup) {
    const std::string name = unique("g");
    const std::string id = create_group(name, {create_user(unique("u")), create_user(unique("u"))});
    const auto r = patch(id, R"([{"op":"remove","path":"members"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsPatch, ReplaceMembersSetsExactlyTheList) {
    const std::string u1 = unique("u"), u2 = unique("u"), u3 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2), id3 = create_user(u3);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1, id2});
    const auto r = patch(id, R"([{"op":"replace","path":"members","value":[{"value":")" + id2 +
                                 R"("},{"value":")" + id3 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u2), user_dn(u3)}));
}

TEST_F(GroupsPatch, ReplaceMembersOfAnEmptyGroupTakesThePlaceholderOut) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name);
    const auto r =
        patch(id, R"([{"op":"replace","path":"members","value":[{"value":")" + uid + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u)}));
}

TEST_F(GroupsPatch, ReplaceWithEmptyListLeavesOnlyThePlaceholder) {
    const std::string name = unique("g");
    const std::string id = create_group(name, {create_user(unique("u"))});
    const auto r = patch(id, R"([{"op":"replace","path":"members","value":[]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsPatch, UnknownIdInAMultiMemberAddIs400AndNothingIsWritten) {
    const std::string u1 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(unique("u"));
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1});
    const std::string bogus = "0badc0de-0000-1000-8000-000000000000";
    const auto r = patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + id2 +
                                 R"("},{"value":")" + bogus +
                                 R"("}]},)"
                                 R"({"op":"replace","path":"externalId","value":"ext-x"}])");
    expect_error(r, 400, "invalidValue", bogus);
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1)}));
    const auto e = admin_->read(group_dn(name), {"scimExternalId"});
    EXPECT_TRUE(attribute_values(*e, "scimExternalId").empty());
}

TEST_F(GroupsPatch, ADnIsNeverAcceptedAsAMemberValue) {
    const std::string u = unique("u");
    create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name);
    const auto r =
        patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + user_dn(u) + R"("}]}])");
    expect_error(r, 400, "invalidValue");
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsPatch, NestedGroupIsAMemberOfTypeGroup) {
    const std::string inner = unique("g"), outer = unique("g");
    const std::string inner_id = create_group(inner, {create_user(unique("u"))});
    const std::string outer_id = create_group(outer);
    const auto r = patch(outer_id, R"([{"op":"add","path":"members","value":[{"value":")" +
                                       inner_id + R"(","type":"Group"}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(outer)), dns({group_dn(inner)}));
    const auto g = send(bhttp::verb::get, "/scim/v2/Groups/" + outer_id);
    const auto members = g.json().at("members").as_array();
    ASSERT_EQ(members.size(), 1u) << g.body;
    EXPECT_EQ(members.at(0).at("value").as_string(), inner_id);
    EXPECT_EQ(members.at(0).at("type").as_string(), "Group");
    EXPECT_EQ(members.at(0).at("display").as_string(), inner);
    EXPECT_NE(std::string(members.at(0).at("$ref").as_string()).find("/Groups/" + inner_id),
              std::string::npos);
}

TEST_F(GroupsPatch, AGroupCannotBeItsOwnMember) {
    const std::string name = unique("g");
    const std::string id = create_group(name);
    const auto r =
        patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + id + R"("}]}])");
    expect_error(r, 400, "invalidValue");
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsPatch, RenameKeepsTheIdAndMovesTheEntry) {
    const std::string u = unique("u");
    const std::string name = unique("g"), renamed = unique("g");
    const std::string id = create_group(name, {create_user(u)});
    const auto r =
        patch(id, R"([{"op":"Replace","path":"displayName","value":")" + renamed + R"("}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_FALSE(admin_->read(group_dn(name)));
    EXPECT_EQ(entry_uuid(group_dn(renamed)), id);
    EXPECT_EQ(ldap_members(group_dn(renamed)), dns({user_dn(u)}));
    const std::vector<std::string> renamed_group{lower(group_dn(renamed))};
    eventually([&] { return member_of(user_dn(u)) == renamed_group; });
    EXPECT_EQ(member_of(user_dn(u)), renamed_group);
    const auto g = send(bhttp::verb::get, "/scim/v2/Groups/" + id + "?attributes=displayName");
    EXPECT_EQ(g.json().at("displayName").as_string(), renamed);
}

TEST_F(GroupsPatch, AttributesParameterAnswers200WithTheGroup) {
    const std::string uid = create_user(unique("u"));
    const std::string id = create_group(unique("g"));
    const auto r =
        patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + uid + R"("}]}])",
              "?attributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("members").as_array().at(0).at("value").as_string(), uid);
}

TEST_F(GroupsPatch, MemberFilterOtherThanValueEqGoesThroughTheEngine) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1, id2});
    const auto r = patch(id, R"([{"op":"remove","path":"members[value ne \")" + id1 + R"(\"]"}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1)}));
}

// --- members follow their entries ------------------------------------------------------------

class GroupsMemberLifecycle : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }
};

TEST_F(GroupsMemberLifecycle, RenamedUserStaysAMemberWithTheSameId) {
    const std::string u = unique("u"), renamed = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name, {uid});
    const auto r = send(
        bhttp::verb::put, "/scim/v2/Users/" + uid,
        R"({"userName":")" + renamed + R"(","name":{"givenName":"Test","familyName":"User"}})");
    ASSERT_EQ(r.status, 200u) << r.body;
    // The bridge rewrote the member value before it answered (slapd's memberof does not for a
    // rename that carries an assertion, as the bridge's do).
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(renamed)}));
    EXPECT_EQ(scim_member_ids(id), std::set<std::string>{uid});
}

TEST_F(GroupsMemberLifecycle, DeletedUserLeavesTheGroup) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("g");
    const std::string id = create_group(name, {id1, id2});
    ASSERT_EQ(send(bhttp::verb::delete_, "/scim/v2/Users/" + id1).status, 204u);
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u2)}));  // before the answer
    EXPECT_EQ(scim_member_ids(id), std::set<std::string>{id2});
}

TEST_F(GroupsMemberLifecycle, DeletingTheOnlyMemberLeavesAnEmptyGroup) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string id = create_group(name, {uid});
    ASSERT_EQ(send(bhttp::verb::delete_, "/scim/v2/Users/" + uid).status, 204u);
    // The bridge swapped the last member for the placeholder (slapd's memberof cannot).
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
    EXPECT_TRUE(scim_member_ids(id).empty());
}

// --- a user's groups: named from what the process knew for at most a second -----------------

class GroupsNamedOnUsers : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }

    /// The (id, display) pairs GET /Users/{id} shows in `groups`.
    static std::set<std::pair<std::string, std::string>> groups_of(const std::string& user_id) {
        const auto r = send(bhttp::verb::get, "/scim/v2/Users/" + user_id);
        EXPECT_EQ(r.status, 200u) << r.body;
        std::set<std::pair<std::string, std::string>> out;
        const auto body = r.json().as_object();
        if (const auto* g = body.if_contains("groups")) {
            for (const auto& v : g->as_array()) {
                out.emplace(std::string(v.at("value").as_string()),
                            std::string(v.at("display").as_string()));
            }
        }
        return out;
    }
};

TEST_F(GroupsNamedOnUsers, UserShowsTheIdAndNameOfEachGroup) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string g1 = unique("g"), g2 = unique("g");
    const std::string id1 = create_group(g1, {uid}), id2 = create_group(g2, {uid});
    using pairs = std::set<std::pair<std::string, std::string>>;
    EXPECT_EQ(groups_of(uid), (pairs{{id1, g1}, {id2, g2}}));
    EXPECT_EQ(groups_of(uid), (pairs{{id1, g1}, {id2, g2}}));  // the same when named from memory
}

TEST_F(GroupsNamedOnUsers, GroupRenamedInLdapShowsItsNewNameAtOnce) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string before = unique("g"), after = unique("g");
    const std::string id = create_group(before, {uid});
    using pairs = std::set<std::pair<std::string, std::string>>;
    ASSERT_EQ(groups_of(uid), (pairs{{id, before}}));
    admin_->apply_ldif("dn: " + group_dn(before) + "\nchangetype: modrdn\nnewrdn: cn=" + after +
                       "\ndeleteoldrdn: 1\n");
    // memberOf now names another DN, which the bridge has not named yet.
    EXPECT_EQ(groups_of(uid), (pairs{{id, after}}));
}

TEST_F(GroupsNamedOnUsers, GroupDeletedAndMadeAgainInLdapShowsTheNewIdWithinASecond) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string first = create_group(name, {uid});
    using pairs = std::set<std::pair<std::string, std::string>>;
    ASSERT_EQ(groups_of(uid), (pairs{{first, name}}));
    admin_->apply_ldif("dn: " + group_dn(name) + "\nchangetype: delete\n\ndn: " + group_dn(name) +
                       "\nchangetype: add\nobjectClass: groupOfNames\ncn: " + name +
                       "\nmember: " + user_dn(u) + "\n");
    const std::string second = entry_uuid(group_dn(name));
    ASSERT_NE(first, second);
    // A name is used for at most a second after it was read (group_names' ttl).
    std::this_thread::sleep_for(std::chrono::milliseconds(1050));
    EXPECT_EQ(groups_of(uid), (pairs{{second, name}}));
}

TEST_F(GroupsNamedOnUsers, GroupDeletedAndMadeAgainThroughTheBridgeShowsTheNewIdAtOnce) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    const std::string first = create_group(name, {uid});
    using pairs = std::set<std::pair<std::string, std::string>>;
    ASSERT_EQ(groups_of(uid), (pairs{{first, name}}));
    ASSERT_EQ(send(bhttp::verb::delete_, "/scim/v2/Groups/" + first).status, 204u);
    const std::string second = create_group(name, {uid});
    ASSERT_NE(first, second);
    // Same DN, new entryUUID: the bridge forgot the name when it wrote the entry.
    EXPECT_EQ(groups_of(uid), (pairs{{second, name}}));
}

TEST_F(GroupsMemberLifecycle, DeletedUserInAGroupTheBridgeMayNotWriteIsStillDeleted) {
    // An administrator's group outside the tenant's bases: the service account cannot write it,
    // so the bridge leaves it to slapd's memberof (memberof-refint), which takes the user out.
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1);
    create_user(u2);
    const std::string outside = "cn=" + unique("vpn") + ",ou=Services,dc=example,dc=org";
    admin_->apply_ldif("dn: " + outside + "\nchangetype: add\nobjectClass: groupOfNames\ncn: " +
                       outside.substr(3, outside.find(',') - 3) + "\nmember: " + user_dn(u1) +
                       "\nmember: " + user_dn(u2) + "\n");
    ASSERT_EQ(send(bhttp::verb::delete_, "/scim/v2/Users/" + id1).status, 204u);
    EXPECT_FALSE(admin_->read(user_dn(u1), {"uid"}));
    EXPECT_TRUE(eventually([&] { return ldap_members(outside) == dns({user_dn(u2)}); }));
}

TEST_F(GroupsMemberLifecycle, NewUserInheritsNoMembershipLeftNamingItsDn) {
    // A group still naming a DN nobody holds (an earlier user's move or delete cut by a crash):
    // the user created there next does not become a member by accident.
    const std::string other = unique("u"), newcomer = unique("u");
    create_user(other);
    const std::string name = unique("g");
    const std::string id = create_group(name, {});
    admin_->apply_ldif("dn: " + group_dn(name) + "\nchangetype: modify\nreplace: member\nmember: " +
                       user_dn(newcomer) + "\nmember: " + user_dn(other) + "\n");
    const std::string uid = create_user(newcomer);
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(other)}));
    EXPECT_EQ(scim_member_ids(id).count(uid), 0u);
}

TEST_F(GroupsMemberLifecycle, NewUserInheritsNoRoleOrReportLeftNamingItsDn) {
    const std::string newcomer = unique("u"), report = unique("u");
    create_user(report);
    const std::string role_name = unique("role");
    const std::string role = "cn=" + role_name + ",ou=Roles,dc=example,dc=org";
    admin_->apply_ldif(
        "dn: " + role + "\nchangetype: add\nobjectClass: groupOfNames\ncn: " + role_name +
        "\nmember: " + user_dn(newcomer) + "\nmember: " + user_dn(report) +
        "\n\ndn: " + user_dn(report) +
        "\nchangetype: modify\nreplace: manager\nmanager: " + user_dn(newcomer) + "\n");
    create_user(newcomer);
    EXPECT_EQ(ldap_members(role), dns({user_dn(report)}));
    const auto e = admin_->read(user_dn(report), {"manager"});
    ASSERT_TRUE(e);
    EXPECT_TRUE(attribute_values(*e, "manager").empty());
}

TEST_F(GroupsMemberLifecycle, ACreateOfATakenUserNameTouchesNoLinkOfTheExistingUser) {
    const std::string u = unique("u");
    const std::string uid = create_user(u);
    const std::string name = unique("g");
    create_group(name, {uid});
    const auto r = send(
        bhttp::verb::post, "/scim/v2/Users",
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + u + R"("})");
    EXPECT_EQ(r.status, 409u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u)}));
}

// --- tenants ---------------------------------------------------------------------------------

class GroupsTenants : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }

    static std::string classlark_user() {
        const std::string body =
            R"({"userName":")" + unique("c") +
            R"(@classlark.example","userType":"Staff","name":{"givenName":"C","familyName":"L"}})";
        const auto r =
            send(bhttp::verb::post, "/scim/v2/Users", body, bridge_fixture::classlark_token);
        EXPECT_EQ(r.status, 201u) << r.body;
        return std::string(r.json().at("id").as_string());
    }
};

TEST_F(GroupsTenants, AMemberIdOfAnotherTenantIs400) {
    const std::string other = classlark_user();
    const std::string name = unique("g");
    expect_error(post_group(name, {other}), 400, "invalidValue", other);
    EXPECT_FALSE(admin_->read(group_dn(name)));
    const std::string id = create_group(name);
    const auto r =
        patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + other + R"("}]}])");
    expect_error(r, 400, "invalidValue", other);
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
}

TEST_F(GroupsTenants, AGroupIdOfAnotherTenantIs404) {
    const std::string name = unique("g");
    const auto created = post_group(name, {}, bridge_fixture::classlark_token);
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());
    const std::string dn = "cn=" + name + ",ou=Groups,ou=classlark,dc=example,dc=org";
    ASSERT_TRUE(admin_->read(dn));
    expect_error(send(bhttp::verb::get, "/scim/v2/Groups/" + id), 404, "");
    expect_error(patch(id, R"([{"op":"replace","path":"displayName","value":"x"}])"), 404, "");
    expect_error(send(bhttp::verb::delete_, "/scim/v2/Groups/" + id), 404, "");
    EXPECT_TRUE(admin_->read(dn));
    // Nor can the default tenant make it a member of its groups.
    expect_error(post_group(unique("g"), {id}), 400, "invalidValue", id);
}

// --- the exact IdP requests ------------------------------------------------------------------

class GroupsIdp : public GroupsBase {
protected:
    static void SetUpTestSuite() { start_all(); }
    static void TearDownTestSuite() { stop_all(); }
};

TEST_F(GroupsIdp, OktaGroupPush) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("okta"), renamed = unique("okta");
    // Create (Push Groups): an empty member list.
    const auto created =
        send(bhttp::verb::post, "/scim/v2/Groups",
             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
                 name + R"(","members":[]})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());
    EXPECT_EQ(ldap_members(group_dn(name)), dns({placeholder}));
    // Rename: no path, with the id in the value (sent with every membership push too).
    auto r = patch(id, R"([{"op":"replace","value":{"id":")" + id + R"(","displayName":")" +
                           renamed + R"("}}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_FALSE(admin_->read(group_dn(name)));
    EXPECT_EQ(entry_uuid(group_dn(renamed)), id);
    // Member add (Okta sends display, no type).
    r = patch(id, R"([{"op":"add","path":"members","value":[{"value":")" + id1 +
                      R"(","display":")" + u1 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(renamed)), dns({user_dn(u1)}));
    // One PATCH: remove one by filter, add another; then the same name again (no change).
    r = patch(id, R"([{"op":"remove","path":"members[value eq \")" + id1 +
                      R"(\"]"},{"op":"add","path":"members","value":[{"value":")" + id2 +
                      R"(","display":")" + u2 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(renamed)), dns({user_dn(u2)}));
    r = patch(id, R"([{"op":"replace","value":{"id":")" + id + R"(","displayName":")" + renamed +
                      R"("}}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(entry_uuid(group_dn(renamed)), id);
    // Push of an empty group.
    r = patch(id, R"([{"op":"replace","path":"members","value":[]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(renamed)), dns({placeholder}));
    // Unlink: delete.
    EXPECT_EQ(send(bhttp::verb::delete_, "/scim/v2/Groups/" + id).status, 204u);
    EXPECT_FALSE(admin_->read(group_dn(renamed)));
}

TEST_F(GroupsIdp, EntraGroupProvisioning) {
    const std::string u1 = unique("u"), u2 = unique("u");
    const std::string id1 = create_user(u1), id2 = create_user(u2);
    const std::string name = unique("entra"), renamed = unique("entra");
    // Create: the ADSCIM schema URN, externalId and meta.resourceType, no members.
    const auto created = send(
        bhttp::verb::post, "/scim/v2/Groups",
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":")" +
            name + R"(","meta":{"resourceType":"Group"}})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());
    auto e = admin_->read(group_dn(name), {"scimExternalId", "member"});
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "scimExternalId"),
              std::vector<std::string>{"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"});
    // Lookup by name without members.
    auto r = send(
        bhttp::verb::get,
        "/scim/v2/Groups?excludedAttributes=members&filter=displayName%20eq%20%22" + name + "%22");
    ASSERT_EQ(r.status, 200u) << r.body;
    ASSERT_EQ(r.json().at("totalResults").as_int64(), 1);
    EXPECT_EQ(r.json().at("Resources").as_array().at(0).at("id").as_string(), id);
    // Add two members in one operation, $ref null.
    r = patch(id, R"([{"op":"Add","path":"members","value":[{"$ref":null,"value":")" + id1 +
                      R"("},{"$ref":null,"value":")" + id2 + R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u1), user_dn(u2)}));
    // Membership check.
    r = send(bhttp::verb::get, "/scim/v2/Groups?filter=id%20eq%20%22" + id +
                                   "%22%20and%20members%20eq%20%22" + id1 +
                                   "%22&excludedAttributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults").as_int64(), 1);
    // Remove with a value list (default job).
    r = patch(id, R"([{"op":"Remove","path":"members","value":[{"$ref":null,"value":")" + id1 +
                      R"("}]}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(ldap_members(group_dn(name)), dns({user_dn(u2)}));
    r = send(bhttp::verb::get, "/scim/v2/Groups?filter=id%20eq%20%22" + id +
                                   "%22%20and%20members%20eq%20%22" + id1 +
                                   "%22&excludedAttributes=members");
    EXPECT_EQ(r.json().at("totalResults").as_int64(), 0);
    // Rename.
    r = patch(id, R"([{"op":"Replace","path":"displayName","value":")" + renamed + R"("}])");
    EXPECT_EQ(r.status, 204u) << r.body;
    EXPECT_EQ(entry_uuid(group_dn(renamed)), id);
    // Read without members.
    r = send(bhttp::verb::get, "/scim/v2/Groups/" + id + "?excludedAttributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("displayName").as_string(), renamed);
    EXPECT_FALSE(r.json().as_object().contains("members"));
    EXPECT_EQ(send(bhttp::verb::delete_, "/scim/v2/Groups/" + id).status, 204u);
    EXPECT_FALSE(admin_->read(group_dn(renamed)));
}

}  // namespace
}  // namespace scimldap::testing
