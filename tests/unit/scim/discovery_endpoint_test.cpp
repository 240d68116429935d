// The discovery routes through the real router, without a socket: statuses, ListResponse
// shape, 403 on filter, 404 on unknown names, 405 on POST, absolute meta.location.
#include "bridge/scim/discovery_endpoint.hpp"
#include "mapping/discovery.hpp"
#include "mapping/profile_loader.hpp"

#include "tests/support/route_call.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::scim {
namespace {

namespace json = boost::json;
namespace bhttp = boost::beast::http;

std::shared_ptr<const mapping::profile> shipped(std::string_view name) {
    auto r = mapping::load_profile(
        (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles/").string() +
        std::string(name) + ".json");
    if (!r) {
        const auto errors = r.error();
        ADD_FAILURE() << errors.front().to_string();
        return nullptr;
    }
    return *r;
}

class DiscoveryEndpoint : public ::testing::Test {
protected:
    DiscoveryEndpoint() {
        discovery_settings settings;
        settings.max_results = 200;
        register_discovery_routes(routes_, settings);
        tenant_.name = "classlark";
        tenant_.profile = shipped("classlark");
    }

    http_response send(bhttp::verb method, std::string target,
                       std::string host = "bridge.example.org:8080",
                       std::string forwarded_proto = "") {
        http_request req{method, target, 11};
        if (!host.empty()) {
            req.set(bhttp::field::host, host);
        }
        if (!forwarded_proto.empty()) {
            req.set("X-Forwarded-Proto", forwarded_proto);
        }
        if (method == bhttp::verb::post) {
            req.set(bhttp::field::content_type, "application/scim+json");
            req.body() = "{}";
            req.prepare_payload();
        }
        return testing::call_route(routes_, req, tenant_);
    }

    static json::object body(const http_response& res) {
        return json::parse(res.body()).as_object();
    }

    router routes_{"/scim/v2"};
    tenant_view tenant_;
};

TEST_F(DiscoveryEndpoint, SchemasIsAListResponseOfEverySchema) {
    const http_response res = send(bhttp::verb::get, "/scim/v2/Schemas");
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(res[bhttp::field::content_type], "application/scim+json");
    const json::object b = body(res);
    EXPECT_EQ(b.at("schemas").as_array()[0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    EXPECT_EQ(b.at("totalResults"), 4);
    EXPECT_EQ(b.at("itemsPerPage"), 4);
    EXPECT_EQ(b.at("startIndex"), 1);
    const json::array& resources = b.at("Resources").as_array();
    ASSERT_EQ(resources.size(), 4u);
    EXPECT_EQ(resources[3].at("id"), "urn:ietf:params:scim:schemas:core:2.0:Group");
}

TEST_F(DiscoveryEndpoint, SchemaByUrnIsTheSingleResourceWithAbsoluteLocation) {
    const http_response res = send(
        bhttp::verb::get,
        "/scim/v2/Schemas/urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User");
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    const json::object b = body(res);
    EXPECT_EQ(b.at("id"), "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User");
    EXPECT_EQ(b.at("meta").at("location"),
              "http://bridge.example.org:8080/scim/v2/Schemas/"
              "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User");
}

TEST_F(DiscoveryEndpoint, ForwardedProtoSetsTheLocationScheme) {
    const http_response res =
        send(bhttp::verb::get, "/scim/v2/ResourceTypes/User", "scim.example.org", "https");
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body(res).at("meta").at("location"),
              "https://scim.example.org/scim/v2/ResourceTypes/User");
}

TEST_F(DiscoveryEndpoint, UnusableHostHeaderGivesPathOnlyLocation) {
    const http_response res =
        send(bhttp::verb::get, "/scim/v2/ServiceProviderConfig", "evil\"host/x", "gopher");
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body(res).at("meta").at("location"), "/scim/v2/ServiceProviderConfig");
}

TEST_F(DiscoveryEndpoint, UnknownSchemaUrnIs404WithScimError) {
    const http_response res =
        send(bhttp::verb::get, "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nope");
    ASSERT_EQ(res.result_int(), 404u);
    const json::object b = body(res);
    EXPECT_EQ(b.at("schemas").as_array()[0], "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(b.at("status"), "404");
    EXPECT_NE(b.at("detail").as_string().find("core:2.0:Nope"), json::string::npos);
}

TEST_F(DiscoveryEndpoint, UnknownResourceTypeIs404) {
    EXPECT_EQ(send(bhttp::verb::get, "/scim/v2/ResourceTypes/Device").result_int(), 404u);
}

TEST_F(DiscoveryEndpoint, ResourceTypesListBoth) {
    const http_response res = send(bhttp::verb::get, "/scim/v2/ResourceTypes");
    ASSERT_EQ(res.result_int(), 200u);
    EXPECT_EQ(body(res).at("totalResults"), 2);
}

TEST_F(DiscoveryEndpoint, FilterOnDiscoveryEndpointIs403) {
    for (const char* target :
         {"/scim/v2/Schemas?filter=id%20eq%20%22x%22",
          "/scim/v2/ResourceTypes?filter=name%20eq%20%22User%22",
          "/scim/v2/ServiceProviderConfig?filter=patch.supported%20eq%20true"}) {
        const http_response res = send(bhttp::verb::get, target);
        EXPECT_EQ(res.result_int(), 403u) << target;
        EXPECT_EQ(body(res).at("status"), "403") << target;
    }
}

TEST_F(DiscoveryEndpoint, PagingParametersAreIgnored) {
    // RFC 7644 §4: sorting and pagination parameters on these endpoints SHALL be ignored.
    const http_response res = send(bhttp::verb::get, "/scim/v2/Schemas?startIndex=3&count=1");
    ASSERT_EQ(res.result_int(), 200u);
    EXPECT_EQ(body(res).at("totalResults"), 4);
    EXPECT_EQ(body(res).at("startIndex"), 1);
}

TEST_F(DiscoveryEndpoint, PostOnDiscoveryEndpointsIs405) {
    for (const char* target :
         {"/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes", "/scim/v2/Schemas"}) {
        const http_response res = send(bhttp::verb::post, target);
        EXPECT_EQ(res.result_int(), 405u) << target;
        EXPECT_EQ(res[bhttp::field::allow], "GET") << target;
    }
}

TEST_F(DiscoveryEndpoint, ServiceProviderConfigUsesTheConfiguredMaximum) {
    const http_response res = send(bhttp::verb::get, "/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(res.result_int(), 200u);
    EXPECT_EQ(body(res).at("filter").at("maxResults"), 200);
    EXPECT_EQ(body(res).at("patch").at("supported"), true);
}

TEST_F(DiscoveryEndpoint, TenantWithoutProfileGetsAnErrorNotACrash) {
    tenant_.profile.reset();
    EXPECT_EQ(send(bhttp::verb::get, "/scim/v2/Schemas").result_int(), 500u);
}

}  // namespace
}  // namespace scimldap::scim
