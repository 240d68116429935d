// OAuth 2.0 client credentials end to end against a real slapd: curl asks /oauth/token with its
// own form encoding, the access token then opens the client's tenant; every RFC 6749 §5.2 error;
// access tokens that are expired, signed with an unknown key, or used across tenants.
#include "bridge/auth/access_token.hpp"
#include "bridge/auth/token_hash.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <fstream>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* default_client = "default-client";
constexpr const char* default_secret = "default-client-secret-value";
constexpr const char* classlark_client = "classlark-client";
constexpr const char* classlark_secret = "classlark-client-secret-value";
// The signing key the suite writes to its key file (48 bytes).
const std::string signing_secret = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL";

class OAuthFlow : public bridge_suite<OAuthFlow> {
public:
    static bridge_options options(const slapd_launcher& slapd) {
        const std::string key_file = slapd.dir() + "/oauth-signing.key";
        write_private_file(key_file, signing_secret + "\n");
        bridge_options o;
        o.edit_config = [key_file](json::object& c) {
            c["oauth"] = {{"token_lifetime", "10m"},
                          {"signing_keys", {{{"id", "2026-12"}, {"key_file", key_file}}}},
                          {"clients",
                           {{{"client_id", default_client},
                             {"secret_sha256", auth::hash_token(default_secret)},
                             {"tenant", "default"},
                             {"name", "default-entra"}},
                            {{"client_id", classlark_client},
                             {"secret_sha256", auth::hash_token(classlark_secret)},
                             {"tenant", "classlark"},
                             {"name", "classlark-entra"}}}}};
        };
        return o;
    }

protected:
    static std::string token_url(const std::string& path = "/oauth/token") {
        return "http://127.0.0.1:" + std::to_string(bridge_->port()) + path;
    }

    /// curl's own client credentials request: -d form body, -u HTTP Basic.
    static http_reply ask_token(const std::string& id, const std::string& secret) {
        return curl({"-d", "grant_type=client_credentials", "-u", id + ":" + secret, token_url()});
    }

    static std::string access_token(const std::string& id, const std::string& secret) {
        const http_reply r = ask_token(id, secret);
        EXPECT_EQ(r.status, 200u) << r.body;
        return std::string(r.json().at("access_token").as_string());
    }

    static void expect_oauth_error(const http_reply& r, unsigned status, const char* error) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/json;charset=UTF-8");
        EXPECT_EQ(r.header("Cache-Control"), "no-store");
        const json::object body = r.json().as_object();
        EXPECT_EQ(body.at("error").as_string(), error) << r.body;
        EXPECT_FALSE(body.at("error_description").as_string().empty());
        EXPECT_FALSE(body.contains("access_token"));
    }

    static void expect_invalid_token(const http_reply& r, const std::string& challenge) {
        EXPECT_EQ(r.status, 401u) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
        EXPECT_EQ(r.json().at("schemas").at(0).as_string(),
                  "urn:ietf:params:scim:api:messages:2.0:Error");
        EXPECT_EQ(r.json().at("status").as_string(), "401");
        EXPECT_EQ(r.header("WWW-Authenticate"), challenge);
    }

    static std::string signed_token(const std::string& tenant, const std::string& client,
                                    std::chrono::sys_seconds iat, std::chrono::seconds life,
                                    const auth::signing_key& key) {
        return auth::sign_access_token({tenant, client, "test", iat, iat + life, "test-jti"}, key);
    }

    static std::chrono::sys_seconds now() {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

const std::string bare_invalid = "Bearer realm=\"scim\", error=\"invalid_token\"";

TEST_F(OAuthFlow, CurlGetsATokenThatOpensTheClientsTenant) {
    const http_reply r = ask_token(default_client, default_secret);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json;charset=UTF-8");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("Pragma"), "no-cache");
    const json::object body = r.json().as_object();
    EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
    EXPECT_EQ(body.at("expires_in").as_int64(), 600);
    const std::string token(body.at("access_token").as_string());

    const http_reply users = bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token);
    ASSERT_EQ(users.status, 200u) << users.body;
    EXPECT_EQ(users.json().at("schemas").at(0).as_string(),
              "urn:ietf:params:scim:api:messages:2.0:ListResponse");
}

TEST_F(OAuthFlow, CredentialsInTheBodyAndTheBasePathEndpointWorkToo) {
    const http_reply r =
        curl({"-d", "grant_type=client_credentials", "-d",
              std::string("client_id=") + classlark_client, "-d",
              std::string("client_secret=") + classlark_secret, token_url("/scim/v2/oauth/token")});
    ASSERT_EQ(r.status, 200u) << r.body;
    const std::string token(r.json().at("access_token").as_string());
    const http_reply spc =
        bridge_->request(bhttp::verb::get, "/scim/v2/ServiceProviderConfig", token);
    ASSERT_EQ(spc.status, 200u) << spc.body;
}

TEST_F(OAuthFlow, ServiceProviderConfigListsBothSchemes) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(r.status, 200u) << r.body;
    const json::value config = r.json();
    const json::array& schemes = config.at("authenticationSchemes").as_array();
    ASSERT_EQ(schemes.size(), 2u) << r.body;
    EXPECT_EQ(schemes[0].at("type").as_string(), "oauthbearertoken");
    EXPECT_EQ(schemes[1].at("type").as_string(), "oauth2");
    EXPECT_EQ(schemes[1].at("specUri").as_string(), "https://www.rfc-editor.org/info/rfc6749");
}

TEST_F(OAuthFlow, StaticTokensKeepWorking) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1");
    EXPECT_EQ(r.status, 200u) << r.body;
}

TEST_F(OAuthFlow, WrongSecretIsInvalidClientWithABasicChallenge) {
    const http_reply r = ask_token(default_client, classlark_secret);
    expect_oauth_error(r, 401, "invalid_client");
    EXPECT_EQ(r.header("WWW-Authenticate"), "Basic realm=\"oauth\"");
}

TEST_F(OAuthFlow, UnknownClientIsInvalidClient) {
    expect_oauth_error(ask_token("nobody", default_secret), 401, "invalid_client");
}

TEST_F(OAuthFlow, NoClientAuthenticationIsInvalidClient) {
    expect_oauth_error(curl({"-d", "grant_type=client_credentials", token_url()}), 401,
                       "invalid_client");
}

TEST_F(OAuthFlow, OtherGrantTypeIsUnsupportedGrantType) {
    expect_oauth_error(
        curl({"-d", "grant_type=password", "-d", "username=a", "-d", "password=b", "-u",
              std::string(default_client) + ":" + default_secret, token_url()}),
        400, "unsupported_grant_type");
}

TEST_F(OAuthFlow, MissingGrantTypeIsInvalidRequest) {
    expect_oauth_error(curl({"-d", "scope=scim", "-u",
                             std::string(default_client) + ":" + default_secret, token_url()}),
                       400, "invalid_request");
}

TEST_F(OAuthFlow, BasicAndBodyCredentialsTogetherAreInvalidRequest) {
    expect_oauth_error(curl({"-d", "grant_type=client_credentials", "-d",
                             std::string("client_secret=") + default_secret, "-u",
                             std::string(default_client) + ":" + default_secret, token_url()}),
                       400, "invalid_request");
}

TEST_F(OAuthFlow, RepeatedParameterIsInvalidRequest) {
    expect_oauth_error(
        curl({"-d", "grant_type=client_credentials", "-d", "grant_type=client_credentials", "-u",
              std::string(default_client) + ":" + default_secret, token_url()}),
        400, "invalid_request");
}

TEST_F(OAuthFlow, JsonBodyIsInvalidRequest) {
    expect_oauth_error(curl({"-H", "Content-Type: application/json", "-d",
                             R"({"grant_type":"client_credentials"})", "-u",
                             std::string(default_client) + ":" + default_secret, token_url()}),
                       400, "invalid_request");
}

TEST_F(OAuthFlow, ExpiredAccessTokenIs401SayingSo) {
    const std::string token =
        signed_token("default", default_client, now() - 2h, 1h, {"2026-12", signing_secret});
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token);
    expect_invalid_token(r,
                         "Bearer realm=\"scim\", error=\"invalid_token\", "
                         "error_description=\"the token has expired\"");
    EXPECT_NE(r.json().at("detail").as_string().find("expired"), json::string::npos);
}

TEST_F(OAuthFlow, TokenOfAnUnknownKeyIs401) {
    const std::string token =
        signed_token("default", default_client, now(), 1h, {"2025-01", signing_secret});
    expect_invalid_token(bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token),
                         bare_invalid);
}

TEST_F(OAuthFlow, TokenWithAnotherSecretUnderTheRightKidIs401) {
    const std::string token =
        signed_token("default", default_client, now(), 1h, {"2026-12", std::string(48, 'x')});
    expect_invalid_token(bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token),
                         bare_invalid);
}

TEST_F(OAuthFlow, MalformedAccessTokenIs401) {
    const std::string good = access_token(default_client, default_secret);
    // alg none, the signature dropped: the shape of a JWT, not a valid one.
    const std::string none = "eyJhbGciOiJub25lIiwia2lkIjoiMjAyNi0xMiJ9." +
                             good.substr(good.find('.') + 1, good.rfind('.') - good.find('.'));
    for (const std::string& token : {std::string("a.b.c"), none, good + "x"}) {
        expect_invalid_token(bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token),
                             bare_invalid);
    }
}

TEST_F(OAuthFlow, TokenClaimingAnotherTenantForItsClientIs401) {
    // Correctly signed, but the client belongs to "default", not "classlark".
    const std::string token =
        signed_token("classlark", default_client, now(), 1h, {"2026-12", signing_secret});
    expect_invalid_token(bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token),
                         bare_invalid);
}

TEST_F(OAuthFlow, TenantAsTokenNeverReachesTenantBsData) {
    // A user of tenant default, created with default's static token.
    const http_reply created = bridge_->request(
        bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"oauth-cross"})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());

    const std::string classlark = access_token(classlark_client, classlark_secret);
    // By id: not found in classlark's view (the same answer as for an id that does not exist).
    const http_reply by_id = bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id, classlark);
    EXPECT_EQ(by_id.status, 404u) << by_id.body;
    EXPECT_EQ(by_id.json().at("status").as_string(), "404");
    // By filter: no result.
    const http_reply by_name = bridge_->request(
        bhttp::verb::get, "/scim/v2/Users?filter=userName%20eq%20%22oauth-cross%22", classlark);
    ASSERT_EQ(by_name.status, 200u) << by_name.body;
    EXPECT_EQ(by_name.json().at("totalResults").as_int64(), 0);
    // Writes cannot reach it either.
    const http_reply removed =
        bridge_->request(bhttp::verb::delete_, "/scim/v2/Users/" + id, classlark);
    EXPECT_EQ(removed.status, 404u) << removed.body;
    // default's own access token sees it.
    const std::string own = access_token(default_client, default_secret);
    const http_reply mine = bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id, own);
    EXPECT_EQ(mine.status, 200u) << mine.body;
    EXPECT_EQ(mine.json().at("userName").as_string(), "oauth-cross");
}

TEST_F(OAuthFlow, GetOnTheTokenEndpointIs405) {
    const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/oauth/token");
    expect_oauth_error(r, 405, "invalid_request");
    EXPECT_EQ(r.header("Allow"), "POST");
}

}  // namespace
}  // namespace scimldap::testing
