#include "bridge/auth/authenticator.hpp"
#include "bridge/auth/access_token.hpp"
#include "bridge/auth/token_hash.hpp"
#include "mapping/rfc3339_time.hpp"

#include <gtest/gtest.h>

namespace scimldap::auth {
namespace {

mapping::config two_tenants() {
    mapping::config c;
    c.tenants.push_back({"acme", "openldap-inetorgperson", ldap::dn("ou=People,o=acme"),
                         ldap::dn("ou=Groups,o=acme"), ldap::dn("ou=Roles,o=acme"), std::nullopt});
    c.tenants.push_back({"beta", "classlark", ldap::dn("ou=People,o=beta"),
                         ldap::dn("ou=Groups,o=beta"), ldap::dn("ou=Roles,o=beta"), std::nullopt});
    c.tokens.push_back({"acme-okta", hash_token("acme-secret"), "acme"});
    // Stored in upper case: the comparison must not depend on the hex digits' case.
    std::string beta_hash = hash_token("beta-secret");
    for (char& ch : beta_hash) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    c.tokens.push_back({"beta-entra", beta_hash, "beta"});
    return c;
}

TEST(Authenticator, TokenOpensItsOwnTenantOnly) {
    const authenticator a(two_tenants());
    const auto who = a.authenticate("Bearer beta-secret");
    ASSERT_TRUE(std::holds_alternative<identity>(who));
    const identity& id = std::get<identity>(who);
    EXPECT_EQ(id.token_name, "beta-entra");
    EXPECT_EQ(id.tenant->name, "beta");
    EXPECT_EQ(id.tenant->users_base.str(), "ou=People,o=beta");
    EXPECT_EQ(id.tenant->groups_base.str(), "ou=Groups,o=beta");
}

TEST(Authenticator, SchemeIsCaseInsensitive) {
    const authenticator a(two_tenants());
    EXPECT_TRUE(std::holds_alternative<identity>(a.authenticate("bearer acme-secret")));
}

TEST(Authenticator, MissingHeaderIsMissingCredentials) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<refusal>(a.authenticate("")).why, failure::missing_credentials);
}

TEST(Authenticator, WrongTokenIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer acme-secreT")).why, failure::invalid_token);
}

TEST(Authenticator, OtherSchemeIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<refusal>(a.authenticate("Basic YWNtZS1zZWNyZXQ=")).why,
              failure::invalid_token);
}

TEST(Authenticator, EmptyBearerTokenIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer ")).why, failure::invalid_token);
    EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer")).why, failure::invalid_token);
}

TEST(Authenticator, TokenNamingAnUnknownTenantIsRefused) {
    mapping::config c = two_tenants();
    c.tokens.push_back({"stray", hash_token("x"), "nobody"});
    EXPECT_THROW(authenticator{c}, std::invalid_argument);
}

using namespace std::chrono_literals;

const std::chrono::sys_seconds noon = *mapping::parse_rfc3339("2027-03-01T12:00:00Z");

TEST(Authenticator, TokenPastNotAfterIsExpiredAndNamed) {
    mapping::config c = two_tenants();
    c.tokens[0].not_after = noon;
    const authenticator a(c);
    EXPECT_TRUE(std::holds_alternative<identity>(a.authenticate("Bearer acme-secret", noon - 1s)));
    for (const auto when : {noon, noon + 24h}) {
        const auto who = a.authenticate("Bearer acme-secret", when);
        ASSERT_TRUE(std::holds_alternative<refusal>(who));
        EXPECT_EQ(std::get<refusal>(who).why, failure::expired_token);
        EXPECT_EQ(std::get<refusal>(who).token_name, "acme-okta");
    }
    // The other tenant's token has no not_after and keeps working.
    EXPECT_TRUE(std::holds_alternative<identity>(a.authenticate("Bearer beta-secret", noon + 24h)));
}

TEST(Authenticator, TwoTokensOfOneTenantBothOpenIt) {
    mapping::config c = two_tenants();
    c.tokens.push_back({"acme-okta-new", hash_token("acme-secret-2"), "acme"});
    const authenticator a(c);
    for (const char* header : {"Bearer acme-secret", "Bearer acme-secret-2"}) {
        const auto who = a.authenticate(header);
        ASSERT_TRUE(std::holds_alternative<identity>(who)) << header;
        EXPECT_EQ(std::get<identity>(who).tenant->name, "acme");
    }
    EXPECT_EQ(std::get<identity>(a.authenticate("Bearer acme-secret-2")).token_name,
              "acme-okta-new");
}

const std::string key_secret(32, 'k');

mapping::config with_oauth() {
    mapping::config c = two_tenants();
    mapping::oauth_settings o;
    o.signing_keys.push_back({"k1", "/unused", key_secret});
    o.clients.push_back({"beta-client", hash_token("beta-client-secret"), "beta", "beta-oauth"});
    c.oauth = o;
    return c;
}

std::string access_token_for(std::string tenant, std::string client_id,
                             std::chrono::sys_seconds iat, const signing_key& key) {
    return sign_access_token(
        {std::move(tenant), std::move(client_id), "beta-oauth", iat, iat + 1h, "jti"}, key);
}

TEST(Authenticator, AccessTokenOpensItsClientsTenant) {
    const authenticator a(with_oauth());
    ASSERT_NE(a.oauth(), nullptr);
    const std::string token = access_token_for("beta", "beta-client", noon, {"k1", key_secret});
    const auto who = a.authenticate("Bearer " + token, noon + 1s);
    ASSERT_TRUE(std::holds_alternative<identity>(who));
    EXPECT_EQ(std::get<identity>(who).token_name, "beta-oauth");
    EXPECT_EQ(std::get<identity>(who).tenant->name, "beta");
}

TEST(Authenticator, ExpiredAccessTokenIsExpired) {
    const authenticator a(with_oauth());
    const std::string token = access_token_for("beta", "beta-client", noon, {"k1", key_secret});
    EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer " + token, noon + 1h)).why,
              failure::expired_token);
}

TEST(Authenticator, AccessTokenOfUnknownKeyOrOtherSecretIsInvalid) {
    const authenticator a(with_oauth());
    for (const signing_key& key :
         {signing_key{"k2", key_secret}, signing_key{"k1", std::string(32, 'x')}}) {
        const std::string token = access_token_for("beta", "beta-client", noon, key);
        EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer " + token, noon)).why,
                  failure::invalid_token);
    }
}

TEST(Authenticator, AccessTokenOfARemovedClientOrAnotherTenantIsInvalid) {
    const authenticator a(with_oauth());
    // Signed with the right key, but naming a client that is not configured (removed), or the
    // right client with a tenant it does not belong to.
    for (const auto& [tenant, client] :
         {std::pair{"beta", "gone-client"}, std::pair{"acme", "beta-client"}}) {
        const std::string token = access_token_for(tenant, client, noon, {"k1", key_secret});
        EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer " + token, noon)).why,
                  failure::invalid_token)
            << tenant << " " << client;
    }
}

TEST(Authenticator, AccessTokenIsInvalidWhenOAuthIsNotConfigured) {
    const authenticator a(two_tenants());
    EXPECT_EQ(a.oauth(), nullptr);
    const std::string token = access_token_for("beta", "beta-client", noon, {"k1", key_secret});
    EXPECT_EQ(std::get<refusal>(a.authenticate("Bearer " + token, noon)).why,
              failure::invalid_token);
}

TEST(Authenticator, ClientsWithoutAReadKeyAreRefused) {
    mapping::config c = with_oauth();
    c.oauth->signing_keys[0].secret.clear();  // key_file never read
    EXPECT_THROW(authenticator{c}, std::invalid_argument);
}

TEST(Authenticator, ClientNamingAnUnknownTenantIsRefused) {
    mapping::config c = with_oauth();
    c.oauth->clients[0].tenant = "nobody";
    EXPECT_THROW(authenticator{c}, std::invalid_argument);
}

TEST(UnauthorizedResponse, ExpiredTokenSaysSoInTheChallengeAndBody) {
    const auto res = unauthorized_response(failure::expired_token);
    EXPECT_EQ(res.result_int(), 401u);
    EXPECT_EQ(res[boost::beast::http::field::www_authenticate],
              "Bearer realm=\"scim\", error=\"invalid_token\", "
              "error_description=\"the token has expired\"");
    EXPECT_NE(res.body().find("\"status\":\"401\""), std::string::npos);
    EXPECT_NE(res.body().find("has expired"), std::string::npos);
}

TEST(UnauthorizedResponse, MissingCredentialsGetTheBareChallenge) {
    const auto res = unauthorized_response(failure::missing_credentials);
    EXPECT_EQ(res.result_int(), 401u);
    EXPECT_EQ(res[boost::beast::http::field::www_authenticate], "Bearer realm=\"scim\"");
}

TEST(UnauthorizedResponse, InvalidTokenNamesTheError) {
    const auto res = unauthorized_response(failure::invalid_token);
    EXPECT_EQ(res.result_int(), 401u);
    EXPECT_EQ(res[boost::beast::http::field::www_authenticate],
              "Bearer realm=\"scim\", error=\"invalid_token\"");
    EXPECT_NE(res.body().find("\"status\":\"401\""), std::string::npos);
}

}  // namespace
}  // namespace scimldap::auth
