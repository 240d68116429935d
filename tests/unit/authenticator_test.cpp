#include "bridge/auth/authenticator.hpp"
#include "bridge/auth/token_hash.hpp"

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
    EXPECT_EQ(std::get<failure>(a.authenticate("")), failure::missing_credentials);
}

TEST(Authenticator, WrongTokenIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<failure>(a.authenticate("Bearer acme-secreT")), failure::invalid_token);
}

TEST(Authenticator, OtherSchemeIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<failure>(a.authenticate("Basic YWNtZS1zZWNyZXQ=")), failure::invalid_token);
}

TEST(Authenticator, EmptyBearerTokenIsInvalidToken) {
    const authenticator a(two_tenants());
    EXPECT_EQ(std::get<failure>(a.authenticate("Bearer ")), failure::invalid_token);
    EXPECT_EQ(std::get<failure>(a.authenticate("Bearer")), failure::invalid_token);
}

TEST(Authenticator, TokenNamingAnUnknownTenantIsRefused) {
    mapping::config c = two_tenants();
    c.tokens.push_back({"stray", hash_token("x"), "nobody"});
    EXPECT_THROW(authenticator{c}, std::invalid_argument);
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
