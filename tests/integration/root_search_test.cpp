// POST /.search at the server root (RFC 7644 §3.4.3): one query over Users and Groups, paged
// across the two, on a real directory.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

const std::string search_schema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// Three users and two groups whose displayName starts with "Root " (nothing else does).
class RootSearch : public bridge_suite<RootSearch> {
protected:
    static void SetUpTestSuite() {
        bridge_suite::SetUpTestSuite();
        for (const char* name : {"root-ann", "root-bob", "root-cy"}) {
            const json::object user{
                {"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                {"userName", name},
                {"displayName", std::string("Root ") + name}};
            const auto r = bridge_->request(bhttp::verb::post, "/scim/v2/Users",
                                            bridge_fixture::default_token, json::serialize(user));
            ASSERT_EQ(r.status, 201u) << r.body;
        }
        for (const char* name : {"Root admins", "Root staff"}) {
            const json::object group{
                {"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                {"displayName", name}};
            const auto r = bridge_->request(bhttp::verb::post, "/scim/v2/Groups",
                                            bridge_fixture::default_token, json::serialize(group));
            ASSERT_EQ(r.status, 201u) << r.body;
        }
    }
    /// POST /.search with these SearchRequest members (besides schemas).
    static http_reply search(const std::string& members) {
        return bridge_->request(bhttp::verb::post, "/scim/v2/.search",
                                bridge_fixture::default_token,
                                R"({"schemas":[")" + search_schema + R"("],)" + members + "}");
    }

    /// "User:root-ann", "Group:Root admins": each resource's type and name, in answer order.
    static std::vector<std::string> typed_names(const json::value& body) {
        std::vector<std::string> out;
        for (const auto& r : body.at("Resources").as_array()) {
            const auto type = std::string(r.at("meta").at("resourceType").as_string());
            const auto* name =
                r.as_object().if_contains(type == "User" ? "userName" : "displayName");
            out.push_back(type + ":" + (name ? std::string(name->as_string()) : "?"));
        }
        return out;
    }
};

TEST_F(RootSearch, AnAttributeBothTypesHaveFindsUsersThenGroups) {
    const auto r = search(R"("filter":"displayName sw \"Root \"")");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json();
    EXPECT_EQ(body.at("totalResults"), 5);
    EXPECT_EQ(body.at("itemsPerPage"), 5);
    EXPECT_EQ(typed_names(body),
              (std::vector<std::string>{"User:root-ann", "User:root-bob", "User:root-cy",
                                        "Group:Root admins", "Group:Root staff"}));
}

TEST_F(RootSearch, IdsAreTheEntriesEntryUuids) {
    const auto r = search(R"("filter":"displayName sw \"Root \"")");
    ASSERT_EQ(r.status, 200u) << r.body;
    ldap_admin admin(*slapd_);
    const auto user = admin.search("ou=People,dc=example,dc=org", "(uid=root-bob)", {"entryUUID"});
    const auto group =
        admin.search("ou=Groups,dc=example,dc=org", "(cn=Root staff)", {"entryUUID"});
    ASSERT_EQ(user.size(), 1u);
    ASSERT_EQ(group.size(), 1u);
    const auto body = r.json();
    const auto& resources = body.at("Resources").as_array();
    EXPECT_EQ(std::string(resources.at(1).at("id").as_string()),
              user[0].first("entryUUID").value_or("-"));
    EXPECT_EQ(std::string(resources.at(4).at("id").as_string()),
              group[0].first("entryUUID").value_or("-"));
}

TEST_F(RootSearch, AnAttributeOnlyUsersHaveLeavesGroupsOut) {
    const auto r = search(R"("filter":"userName sw \"root-\"")");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(typed_names(r.json()),
              (std::vector<std::string>{"User:root-ann", "User:root-bob", "User:root-cy"}));
    EXPECT_EQ(r.json().at("totalResults"), 3);
}

TEST_F(RootSearch, AnAttributeNoTypeHasIsInvalidFilterNamingIt) {
    const auto r = search(R"("filter":"shoeSize eq \"44\"")");
    ASSERT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidFilter");
    EXPECT_NE(std::string(r.json().at("detail").as_string()).find("shoeSize"), std::string::npos)
        << r.body;
}

TEST_F(RootSearch, APageSpansTheEndOfUsersAndTheStartOfGroups) {
    const auto r = search(R"("filter":"displayName sw \"Root \"","startIndex":3,"count":2)");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json();
    EXPECT_EQ(body.at("totalResults"), 5);
    EXPECT_EQ(body.at("startIndex"), 3);
    EXPECT_EQ(typed_names(body), (std::vector<std::string>{"User:root-cy", "Group:Root admins"}));
}

TEST_F(RootSearch, APageInsideGroupsSkipsEveryUser) {
    const auto r = search(R"("filter":"displayName sw \"Root \"","startIndex":5,"count":10)");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(typed_names(r.json()), (std::vector<std::string>{"Group:Root staff"}));
    EXPECT_EQ(r.json().at("totalResults"), 5);
}

TEST_F(RootSearch, CountZeroGivesOnlyTheTotal) {
    const auto r = search(R"("filter":"displayName sw \"Root \"","count":0)");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), 5);
    EXPECT_TRUE(r.json().at("Resources").as_array().empty());
}

TEST_F(RootSearch, AttributesProjectEachType) {
    const auto r = search(R"("filter":"displayName sw \"Root \"","attributes":["displayName"])");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json();
    for (const auto& res : body.at("Resources").as_array()) {
        const auto& o = res.as_object();
        EXPECT_TRUE(o.contains("id"));
        EXPECT_TRUE(o.contains("displayName"));
        EXPECT_FALSE(o.contains("userName"));
        EXPECT_FALSE(o.contains("members"));
    }
}

TEST_F(RootSearch, SortByIsRefusedNamingTheTypeEndpoints) {
    const auto r = search(R"("filter":"displayName sw \"Root \"","sortBy":"displayName")");
    ASSERT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidValue");
    EXPECT_NE(std::string(r.json().at("detail").as_string()).find("/Users/.search"),
              std::string::npos);
}

TEST_F(RootSearch, ABodyWithoutTheSearchRequestSchemaIsInvalidSyntax) {
    const auto r = bridge_->request(bhttp::verb::post, "/scim/v2/.search",
                                    bridge_fixture::default_token, R"({"filter":"id pr"})");
    ASSERT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidSyntax");
}

TEST_F(RootSearch, AnotherTenantsTokenSeesNoneOfThem) {
    const auto r = bridge_->request(
        bhttp::verb::post, "/scim/v2/.search", bridge_fixture::classlark_token,
        R"({"schemas":[")" + search_schema + R"("],"filter":"displayName sw \"Root \""})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), 0);
}

}  // namespace
}  // namespace scimldap::testing
