#include "bridge/scim/router.hpp"
#include "bridge/scim/json_response.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

namespace scimldap::scim {
namespace {

namespace bhttp = boost::beast::http;

http_request make_request(bhttp::verb method, std::string target, std::string body = {},
                          std::string content_type = {}) {
    http_request req{method, target, 11};
    if (!content_type.empty()) {
        req.set(bhttp::field::content_type, content_type);
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

// A router with GET and PUT on /Users/{id} and GET/POST on /Users; handlers echo what they saw.
class Router : public ::testing::Test {
protected:
    Router() : routes_("/scim/v2") {
        const auto echo = [](scim::request_context& ctx) -> boost::asio::awaitable<http_response> {
            boost::json::object seen{{"id", ctx.path_param("id")},
                                     {"tenant", ctx.tenant.name},
                                     {"filter", ctx.query_param("filter").value_or("-")}};
            ctx.ldap_ops += 2;
            co_return json_response(200, boost::json::value(seen));
        };
        routes_.add(bhttp::verb::get, "/Users/{id}", echo);
        routes_.add(bhttp::verb::put, "/Users/{id}", echo);
        routes_.add(bhttp::verb::get, "/Users", echo);
        routes_.add(bhttp::verb::post, "/Users", echo);
        routes_.add(bhttp::verb::get, "/Plain",
                    [](scim::request_context&) -> boost::asio::awaitable<http_response> {
                        http_response res{bhttp::status::ok, 11};
                        res.body() = "{}";
                        co_return res;
                    });
        tenant_.name = "acme";
    }

    http_response dispatch(const http_request& req) {
        boost::asio::io_context io;
        auto done = boost::asio::co_spawn(io, routes_.dispatch(req, tenant_, report_),
                                          boost::asio::use_future);
        io.run();
        return done.get();
    }

    static boost::json::object body_of(const http_response& res) {
        return boost::json::parse(res.body()).as_object();
    }

    router routes_;
    tenant_view tenant_;
    scim::dispatch_report report_;
};

TEST_F(Router, MatchingRouteGetsDecodedPathParamQueryAndTenant) {
    const http_response res = dispatch(
        make_request(bhttp::verb::get, "/scim/v2/Users/a%2Fb%20c?filter=userName%20eq%20%22x%22"));
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    const auto body = body_of(res);
    EXPECT_EQ(body.at("id").as_string(), "a/b c");
    EXPECT_EQ(body.at("filter").as_string(), "userName eq \"x\"");
    EXPECT_EQ(body.at("tenant").as_string(), "acme");
    EXPECT_EQ(report_.ldap_ops, 2u);
    EXPECT_EQ(report_.route, "/Users/{id}") << "the pattern, never the id, names the endpoint";
}

TEST_F(Router, QueryParametersAreFoundByDecodedNameOnly) {
    const auto filter_of = [this](const std::string& query) {
        const http_response res =
            dispatch(make_request(bhttp::verb::get, "/scim/v2/Users?" + query));
        return std::string(body_of(res).at("filter").as_string());
    };
    EXPECT_EQ(filter_of("count=5&filter=a+eq+%22b%22"), "a eq \"b\"");  // '+' is a space
    EXPECT_EQ(filter_of("%66ilter=x"), "x");                            // an encoded name
    EXPECT_EQ(filter_of("filterx=1&xfilter=2&count=3"), "-");           // only the whole name
    EXPECT_EQ(filter_of("attributes=filter&f=filter"), "-");            // not in a value
    EXPECT_EQ(filter_of("filter=a%26b%3Dc&count=1"), "a&b=c");
    EXPECT_EQ(filter_of("filter"), "");  // present, empty
}

TEST_F(Router, LiteralRouteMatchesWithoutParams) {
    const http_response res = dispatch(make_request(bhttp::verb::get, "/scim/v2/Users"));
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(body_of(res).at("id").as_string(), "");
}

// Microsoft's SCIM Postman collection sends GET /users.
TEST_F(Router, EndpointNamesMatchCaseInsensitively) {
    const http_response res = dispatch(make_request(bhttp::verb::get, "/scim/v2/users/7"));
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res).at("id").as_string(), "7");
}

// Microsoft's SCIM Postman collection sends GET /Users/?filter=...
TEST_F(Router, TrailingSlashNamesTheSameEndpoint) {
    const http_response res =
        dispatch(make_request(bhttp::verb::get, "/scim/v2/Users/?filter=userName%20eq%20%22x%22"));
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res).at("id").as_string(), "");
    EXPECT_EQ(body_of(res).at("filter").as_string(), "userName eq \"x\"");
}

TEST_F(Router, EmptySegmentInsideThePathIs404) {
    EXPECT_EQ(dispatch(make_request(bhttp::verb::get, "/scim/v2/Users//x")).result_int(), 404u);
}

TEST_F(Router, UnknownRouteIs404ScimError) {
    const http_response res = dispatch(make_request(bhttp::verb::get, "/scim/v2/Nope"));
    EXPECT_EQ(res.result_int(), 404u);
    EXPECT_EQ(res[bhttp::field::content_type], "application/scim+json");
    EXPECT_EQ(body_of(res).at("status").as_string(), "404");
}

TEST_F(Router, TooManySegmentsIs404) {
    EXPECT_EQ(dispatch(make_request(bhttp::verb::get, "/scim/v2/Users/1/x")).result_int(), 404u);
}

TEST_F(Router, PathOutsideTheBasePathIs404) {
    EXPECT_EQ(dispatch(make_request(bhttp::verb::get, "/Users/1")).result_int(), 404u);
    EXPECT_EQ(dispatch(make_request(bhttp::verb::get, "/scim/v2x/Users")).result_int(), 404u);
}

TEST_F(Router, WrongMethodIs405WithAllowListingTheRouteMethods) {
    const http_response res = dispatch(make_request(bhttp::verb::delete_, "/scim/v2/Users/7"));
    EXPECT_EQ(res.result_int(), 405u);
    EXPECT_EQ(res[bhttp::field::allow], "GET, PUT");
    EXPECT_EQ(body_of(res).at("status").as_string(), "405");
}

TEST_F(Router, ScimJsonBodyIsAccepted) {
    const http_response res =
        dispatch(make_request(bhttp::verb::post, "/scim/v2/Users", "{}", "application/scim+json"));
    EXPECT_EQ(res.result_int(), 200u);
}

TEST_F(Router, PlainJsonBodyWithCharsetIsAccepted) {
    const http_response res = dispatch(
        make_request(bhttp::verb::post, "/scim/v2/Users", "{}", "Application/JSON; charset=utf-8"));
    EXPECT_EQ(res.result_int(), 200u);
}

TEST_F(Router, OtherBodyTypeIs415) {
    const http_response res =
        dispatch(make_request(bhttp::verb::post, "/scim/v2/Users", "a=b", "text/plain"));
    EXPECT_EQ(res.result_int(), 415u);
    EXPECT_EQ(body_of(res).at("status").as_string(), "415");
}

// Okta's SCIM 2.0 SPEC test (2016 export) POSTs users without Content-Type (IDP-QUIRKS R17).
TEST_F(Router, BodyWithoutContentTypeIsAccepted) {
    EXPECT_EQ(dispatch(make_request(bhttp::verb::post, "/scim/v2/Users", "{}")).result_int(), 200u);
}

TEST_F(Router, BodyWithEmptyContentTypeIs415) {
    const http_response res =
        dispatch(make_request(bhttp::verb::post, "/scim/v2/Users", "{}", " ; charset=utf-8"));
    EXPECT_EQ(res.result_int(), 415u);
}

TEST_F(Router, ResponseWithoutContentTypeGetsScimJson) {
    const http_response res = dispatch(make_request(bhttp::verb::get, "/scim/v2/Plain"));
    EXPECT_EQ(res[bhttp::field::content_type], "application/scim+json");
}

TEST_F(Router, BasePathWithTrailingSlashIsTheSame) {
    router r("/scim/v2/");
    EXPECT_EQ(r.base_path(), "/scim/v2");
}

TEST_F(Router, CustomBasePathIsHonoured) {
    router r("/api");
    r.add(bhttp::verb::get, "/Users",
          [](scim::request_context&) -> boost::asio::awaitable<http_response> {
              co_return json_response(200, std::string("{}"));
          });
    // The request must outlive the coroutine, which keeps a reference to it.
    const http_request req = make_request(bhttp::verb::get, "/api/Users");
    boost::asio::io_context io;
    scim::dispatch_report report;
    auto done =
        boost::asio::co_spawn(io, r.dispatch(req, tenant_, report), boost::asio::use_future);
    io.run();
    EXPECT_EQ(done.get().result_int(), 200u);
}

TEST_F(Router, DuplicateRouteIsRefused) {
    EXPECT_THROW(routes_.add(bhttp::verb::get, "/Users", {}), std::invalid_argument);
}

TEST_F(Router, PatternWithoutLeadingSlashIsRefused) {
    EXPECT_THROW(routes_.add(bhttp::verb::get, "Groups", {}), std::invalid_argument);
}

}  // namespace
}  // namespace scimldap::scim
