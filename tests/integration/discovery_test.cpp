// Discovery endpoints over HTTP against the real server and slapd: each tenant sees its own
// profile's schemas; POST is 405, unknown URNs 404, filters 403, no token 401.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* core_user = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* enterprise_user =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* school_user =
    "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User";
constexpr const char* core_group = "urn:ietf:params:scim:schemas:core:2.0:Group";

std::string schema_path(std::string_view urn) {
    std::string out = "/scim/v2/Schemas/";
    out.append(urn);
    return out;
}

// The service registers the discovery routes itself (bridge/cli/service.cpp): those are tested.
class DiscoveryHttp : public bridge_suite<DiscoveryHttp> {
protected:
    static http_reply get(const std::string& target,
                          const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(bhttp::verb::get, target, token);
    }

    static std::vector<std::string> resource_ids(const http_reply& r) {
        std::vector<std::string> out;
        const json::value body = r.json();
        for (const json::value& v : body.at("Resources").as_array()) {
            out.emplace_back(v.at("id").as_string());
        }
        return out;
    }
};

void expect_scim_error(const http_reply& r, unsigned status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
    const json::value body = r.json();
    EXPECT_EQ(body.at("schemas").as_array().at(0).as_string(),
              "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(body.at("status").as_string(), std::to_string(status));
}

TEST_F(DiscoveryHttp, DefaultTenantSchemasAreCoreUserEnterpriseAndGroup) {
    const http_reply r = get("/scim/v2/Schemas");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
    EXPECT_EQ(r.json().at("schemas").as_array().at(0).as_string(),
              "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    EXPECT_EQ(r.json().at("totalResults").as_int64(), 3);
    EXPECT_EQ(resource_ids(r), (std::vector<std::string>{core_user, enterprise_user, core_group}));
}

TEST_F(DiscoveryHttp, ClasslarkTenantSeesItsExtensionAndRoles) {
    const http_reply r = get("/scim/v2/Schemas", bridge_fixture::classlark_token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(resource_ids(r),
              (std::vector<std::string>{core_user, enterprise_user, school_user, core_group}));

    const http_reply user = get(schema_path(core_user), bridge_fixture::classlark_token);
    ASSERT_EQ(user.status, 200u) << user.body;
    const json::value* user_type = nullptr;
    const json::value schema = user.json();
    for (const json::value& a : schema.at("attributes").as_array()) {
        if (a.at("name").as_string() == "userType") {
            user_type = &a;
        }
    }
    ASSERT_NE(user_type, nullptr);
    EXPECT_EQ(user_type->at("canonicalValues"),
              (json::array{"Staff", "Event Manager", "Finance Manager", "Administrator"}));
}

TEST_F(DiscoveryHttp, DefaultTenantDoesNotSeeClasslarkExtension) {
    expect_scim_error(get(schema_path(school_user)), 404);
}

TEST_F(DiscoveryHttp, SchemaLocationIsAbsolute) {
    const http_reply r = get(schema_path(core_group));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("meta").at("location").as_string(),
              "http://127.0.0.1" + schema_path(core_group));
}

TEST_F(DiscoveryHttp, UnknownSchemaUrnIs404) {
    expect_scim_error(get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Device"), 404);
}

TEST_F(DiscoveryHttp, ResourceTypesListUserAndGroup) {
    const http_reply r = get("/scim/v2/ResourceTypes", bridge_fixture::classlark_token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(resource_ids(r), (std::vector<std::string>{"User", "Group"}));
    const http_reply user = get("/scim/v2/ResourceTypes/User", bridge_fixture::classlark_token);
    ASSERT_EQ(user.status, 200u) << user.body;
    EXPECT_EQ(user.json().at("endpoint").as_string(), "/Users");
    EXPECT_EQ(user.json().at("schemaExtensions").as_array().size(), 2u);
}

TEST_F(DiscoveryHttp, ServiceProviderConfigSupportsPatch) {
    const http_reply r = get("/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("patch").at("supported"), true);
    EXPECT_EQ(r.json().at("bulk").at("supported"), true);
    EXPECT_EQ(r.json().at("bulk").at("maxOperations"), 1000);
    EXPECT_EQ(r.json().at("bulk").at("maxPayloadSize"), 64 * 1024)
        << "the fixture's http.max_body_bytes, smaller than scim.bulk.max_payload_bytes";
    EXPECT_EQ(r.json().at("authenticationSchemes").as_array().at(0).at("type").as_string(),
              "oauthbearertoken");
}

TEST_F(DiscoveryHttp, PostOnDiscoveryEndpointsIs405) {
    for (const char* target :
         {"/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes", "/scim/v2/Schemas"}) {
        const http_reply r =
            bridge_->request(bhttp::verb::post, target, bridge_fixture::default_token, "{}");
        expect_scim_error(r, 405);
        EXPECT_EQ(r.header("Allow"), "GET") << target;
    }
}

TEST_F(DiscoveryHttp, FilterIs403) {
    expect_scim_error(get("/scim/v2/Schemas?filter=id%20eq%20%22x%22"), 403);
}

TEST_F(DiscoveryHttp, WithoutTokenIs401) {
    expect_scim_error(get("/scim/v2/Schemas", ""), 401);
}

}  // namespace
}  // namespace scimldap::testing
