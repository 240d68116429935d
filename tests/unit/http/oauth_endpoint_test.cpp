#include "bridge/auth/oauth_endpoint.hpp"
#include "bridge/auth/access_token.hpp"
#include "bridge/auth/token_hash.hpp"
#include "mapping/base64.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace scimldap::auth {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

const std::chrono::sys_seconds now{std::chrono::seconds(1'800'000'000)};
const signing_key key{"k1", std::string(32, 'k')};

token_endpoint endpoint() {
    mapping::oauth_settings s;
    s.token_lifetime = 15min;
    s.clients.push_back({"acme-client", hash_token("acme-secret"), "acme", "acme-entra"});
    s.clients.push_back({"beta-client", hash_token("beta-secret"), "beta", "beta-entra"});
    return token_endpoint(s, {key});
}

scim::http_request form_post(std::string body, std::string authorization = {},
                             std::string content_type = "application/x-www-form-urlencoded") {
    scim::http_request req{bhttp::verb::post, "/oauth/token", 11};
    if (!content_type.empty()) {
        req.set(bhttp::field::content_type, content_type);
    }
    if (!authorization.empty()) {
        req.set(bhttp::field::authorization, authorization);
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

std::string basic(std::string_view id_secret) {
    return "Basic " + mapping::base64_encode(id_secret);
}

void expect_error(const token_endpoint::outcome& o, unsigned status, std::string_view code) {
    EXPECT_EQ(o.response.result_int(), status) << o.response.body();
    EXPECT_EQ(o.response[bhttp::field::content_type], "application/json;charset=UTF-8");
    EXPECT_EQ(o.response[bhttp::field::cache_control], "no-store");
    const auto body = boost::json::parse(o.response.body()).as_object();
    EXPECT_EQ(body.at("error").as_string(), code);
    EXPECT_FALSE(body.at("error_description").as_string().empty());
    EXPECT_TRUE(o.client_name.empty());
}

TEST(TokenEndpoint, BasicCredentialsGetASignedTokenForTheClientsTenant) {
    const auto o = endpoint().respond(
        form_post("grant_type=client_credentials", basic("beta-client:beta-secret")), now);
    ASSERT_EQ(o.response.result_int(), 200u) << o.response.body();
    EXPECT_EQ(o.response[bhttp::field::cache_control], "no-store");
    EXPECT_EQ(o.response[bhttp::field::pragma], "no-cache");
    EXPECT_EQ(o.client_name, "beta-entra");
    EXPECT_EQ(o.tenant, "beta");
    const auto body = boost::json::parse(o.response.body()).as_object();
    EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
    EXPECT_EQ(body.at("expires_in").as_int64(), 900);
    const auto claims =
        verify_access_token(std::string(body.at("access_token").as_string()), {key}, now);
    ASSERT_TRUE(std::holds_alternative<access_token_claims>(claims));
    EXPECT_EQ(std::get<access_token_claims>(claims).tenant, "beta");
    EXPECT_EQ(std::get<access_token_claims>(claims).expires_at, now + 15min);
}

TEST(TokenEndpoint, BodyCredentialsWorkToo) {
    const auto o = endpoint().respond(
        form_post("grant_type=client_credentials&client_id=acme-client&client_secret=acme-secret"
                  "&scope=scim"),
        now);
    ASSERT_EQ(o.response.result_int(), 200u) << o.response.body();
    EXPECT_EQ(o.tenant, "acme");
}

TEST(TokenEndpoint, WrongSecretOrUnknownClientIsInvalidClientWithBasicChallenge) {
    for (const char* pair : {"acme-client:beta-secret", "nobody:acme-secret", "acme-client:"}) {
        const auto o =
            endpoint().respond(form_post("grant_type=client_credentials", basic(pair)), now);
        expect_error(o, 401, "invalid_client");
        EXPECT_EQ(o.response[bhttp::field::www_authenticate], "Basic realm=\"oauth\"");
    }
}

TEST(TokenEndpoint, NoClientAuthenticationIsInvalidClient) {
    expect_error(endpoint().respond(form_post("grant_type=client_credentials"), now), 401,
                 "invalid_client");
    expect_error(
        endpoint().respond(form_post("grant_type=client_credentials&client_id=acme-client"), now),
        401, "invalid_client");
}

TEST(TokenEndpoint, OtherAuthorizationSchemeIsInvalidClient) {
    expect_error(endpoint().respond(form_post("grant_type=client_credentials", "Bearer xyz"), now),
                 401, "invalid_client");
}

TEST(TokenEndpoint, OtherGrantTypeIsUnsupported) {
    expect_error(endpoint().respond(form_post("grant_type=password&username=a&password=b",
                                              basic("acme-client:acme-secret")),
                                    now),
                 400, "unsupported_grant_type");
}

TEST(TokenEndpoint, MalformedRequestsAreInvalidRequest) {
    const token_endpoint e = endpoint();
    const std::string good_basic = basic("acme-client:acme-secret");
    // Missing grant_type.
    expect_error(e.respond(form_post("scope=x", good_basic), now), 400, "invalid_request");
    // A parameter twice.
    expect_error(e.respond(form_post("grant_type=client_credentials&grant_type=client_credentials",
                                     good_basic),
                           now),
                 400, "invalid_request");
    // Basic and body credentials together.
    expect_error(e.respond(form_post("grant_type=client_credentials&client_id=acme-client&"
                                     "client_secret=acme-secret",
                                     good_basic),
                           now),
                 400, "invalid_request");
    // Not a form.
    expect_error(e.respond(form_post(R"({"grant_type":"client_credentials"})", good_basic,
                                     "application/json"),
                           now),
                 400, "invalid_request");
    expect_error(e.respond(form_post("grant_type=client_credentials", good_basic, ""), now), 400,
                 "invalid_request");
    // Broken Basic credentials.
    expect_error(e.respond(form_post("grant_type=client_credentials", "Basic !!!"), now), 400,
                 "invalid_request");
}

TEST(TokenEndpoint, FormContentTypeMayCarryACharset) {
    const auto o = endpoint().respond(
        form_post("grant_type=client_credentials", basic("acme-client:acme-secret"),
                  "Application/X-WWW-Form-Urlencoded; charset=UTF-8"),
        now);
    EXPECT_EQ(o.response.result_int(), 200u) << o.response.body();
}

TEST(TokenEndpoint, BodyClientIdRepeatingBasicsIsAccepted) {
    const auto o =
        endpoint().respond(form_post("grant_type=client_credentials&client_id=acme-client",
                                     basic("acme-client:acme-secret")),
                           now);
    EXPECT_EQ(o.response.result_int(), 200u) << o.response.body();
}

TEST(TokenEndpoint, GetIsMethodNotAllowed) {
    scim::http_request req{bhttp::verb::get, "/oauth/token", 11};
    const auto o = endpoint().respond(req, now);
    expect_error(o, 405, "invalid_request");
    EXPECT_EQ(o.response[bhttp::field::allow], "POST");
}

TEST(TokenEndpoint, TargetAtTheRootOrUnderTheBasePath) {
    EXPECT_TRUE(is_token_endpoint_target("/oauth/token", "/scim/v2"));
    EXPECT_TRUE(is_token_endpoint_target("/oauth/token?x=1", "/scim/v2"));
    EXPECT_TRUE(is_token_endpoint_target("/scim/v2/oauth/token", "/scim/v2"));
    EXPECT_FALSE(is_token_endpoint_target("/oauth/token/x", "/scim/v2"));
    EXPECT_FALSE(is_token_endpoint_target("/scim/v2/Users", "/scim/v2"));
    EXPECT_FALSE(is_token_endpoint_target("/other/oauth/token", "/scim/v2"));
}

}  // namespace
}  // namespace scimldap::auth
