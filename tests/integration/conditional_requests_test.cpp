// Conditional requests (RFC 7644 §3.14, RFC 9110 §13.1): If-None-Match on GET answers 304 for
// the version the client holds; If-Match and If-None-Match on PUT, PATCH and DELETE, "*"
// included, decide whether the write happens, and the entry shows it.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <string>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;

constexpr const char* people = ",ou=People,dc=example,dc=org";

class ConditionalRequests : public bridge_suite<ConditionalRequests> {
protected:
    /// A request with the default tenant's token and `conditions` (If-Match, If-None-Match).
    static http_reply send(bhttp::verb method, const std::string& path,
                           const std::map<std::string, std::string>& conditions,
                           const std::string& body = "") {
        std::map<std::string, std::string> headers = conditions;
        headers["Authorization"] = std::string("Bearer ").append(bridge_fixture::default_token);
        if (!body.empty()) {
            headers["Content-Type"] = "application/scim+json";
        }
        return http_request(bridge_->port(), method, std::string("/scim/v2").append(path), headers,
                            body);
    }
    /// A new user with a title; its id and ETag.
    static std::pair<std::string, std::string> create(const std::string& user_name) {
        std::string body = R"({"userName": ")";
        body.append(user_name).append(R"(", "title": "First"})");
        const http_reply r = send(bhttp::verb::post, "/Users", {}, body);
        EXPECT_EQ(r.status, 201u) << r.body;
        return {std::string(r.json().at("id").as_string()), r.header("ETag")};
    }
    static std::string title_of(const std::string& user_name) {
        ldap_admin admin(*slapd_);
        const auto e = admin.read(std::string("uid=").append(user_name).append(people));
        const auto titles = e ? attribute_values(*e, "title") : std::vector<std::string>{};
        return titles.empty() ? std::string() : titles.front();
    }
};

TEST_F(ConditionalRequests, GetWithTheCurrentVersionIs304WithItsEtagAndNoBody) {
    const auto [id, etag] = create("cond.get");
    ASSERT_FALSE(etag.empty());

    const http_reply r = send(bhttp::verb::get, "/Users/" + id, {{"If-None-Match", etag}});

    EXPECT_EQ(r.status, 304u);
    EXPECT_EQ(r.header("ETag"), etag);
    EXPECT_TRUE(r.body.empty()) << r.body;
}

TEST_F(ConditionalRequests, GetWithAnotherVersionIsTheResource) {
    const auto [id, etag] = create("cond.get.other");

    const http_reply r =
        send(bhttp::verb::get, "/Users/" + id, {{"If-None-Match", R"(W/"not-this-one")"}});

    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("ETag"), etag);
    EXPECT_EQ(r.json().at("userName"), "cond.get.other");
}

TEST_F(ConditionalRequests, GetWithIfNoneMatchStarIs304) {
    const auto [id, etag] = create("cond.get.star");
    EXPECT_EQ(send(bhttp::verb::get, "/Users/" + id, {{"If-None-Match", "*"}}).status, 304u);
}

TEST_F(ConditionalRequests, GetAfterAChangeIs200WithTheNewEtag) {
    const auto [id, etag] = create("cond.get.changed");
    ASSERT_EQ(send(bhttp::verb::put, "/Users/" + id, {},
                   R"({"userName": "cond.get.changed", "title": "Second"})")
                  .status,
              200u);

    const http_reply r = send(bhttp::verb::get, "/Users/" + id, {{"If-None-Match", etag}});

    EXPECT_EQ(r.status, 200u);
    EXPECT_NE(r.header("ETag"), etag);
}

TEST_F(ConditionalRequests, PutWithIfMatchStarIsApplied) {
    const auto [id, etag] = create("cond.put.star");

    const http_reply r = send(bhttp::verb::put, "/Users/" + id, {{"If-Match", "*"}},
                              R"({"userName": "cond.put.star", "title": "Second"})");

    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(title_of("cond.put.star"), "Second");
}

TEST_F(ConditionalRequests, PutWithIfNoneMatchStarOnAnExistingResourceIs412AndWritesNothing) {
    const auto [id, etag] = create("cond.put.none");

    const http_reply r = send(bhttp::verb::put, "/Users/" + id, {{"If-None-Match", "*"}},
                              R"({"userName": "cond.put.none", "title": "Second"})");

    EXPECT_EQ(r.status, 412u) << r.body;
    EXPECT_NE(r.body.find("If-None-Match"), std::string::npos) << r.body;
    EXPECT_EQ(title_of("cond.put.none"), "First");
}

TEST_F(ConditionalRequests, PatchWithIfNoneMatchOfTheCurrentVersionIs412) {
    const auto [id, etag] = create("cond.patch.none");
    const std::string patch = R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "title", "value": "Second"}]})";

    EXPECT_EQ(send(bhttp::verb::patch, "/Users/" + id, {{"If-None-Match", etag}}, patch).status,
              412u);
    EXPECT_EQ(title_of("cond.patch.none"), "First");

    EXPECT_EQ(
        send(bhttp::verb::patch, "/Users/" + id, {{"If-None-Match", R"(W/"older")"}}, patch).status,
        200u);
    EXPECT_EQ(title_of("cond.patch.none"), "Second");
}

TEST_F(ConditionalRequests, DeleteWithAnIfMatchListNamingTheVersionIsApplied) {
    const auto [id, etag] = create("cond.delete.list");

    const http_reply r = send(bhttp::verb::delete_, "/Users/" + id,
                              {{"If-Match", std::string(R"(W/"older", )").append(etag)}});

    EXPECT_EQ(r.status, 204u) << r.body;
    ldap_admin admin(*slapd_);
    EXPECT_FALSE(admin.read(std::string("uid=cond.delete.list").append(people)));
}

TEST_F(ConditionalRequests, GroupDeleteWithIfNoneMatchStarIs412AndTheGroupStays) {
    const http_reply created =
        send(bhttp::verb::post, "/Groups", {}, R"({"displayName": "cond-g"})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());

    EXPECT_EQ(send(bhttp::verb::delete_, "/Groups/" + id, {{"If-None-Match", "*"}}).status, 412u);
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.read("cn=cond-g,ou=Groups,dc=example,dc=org"));
}

}  // namespace
}  // namespace scimldap::testing
