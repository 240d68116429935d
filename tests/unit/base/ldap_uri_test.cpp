// LDAP URIs as the client opens them: scheme, host, default ports, ldapi paths, loopback.
#include "base/ldap_uri.hpp"

#include <gtest/gtest.h>

namespace scimldap::ldap {
namespace {

TEST(LdapUri, LdapsDefaultsToPort636) {
    const auto uri = parse_ldap_uri("ldaps://ldap.corp.example");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->scheme, ldap_uri::kind::ldaps);
    EXPECT_EQ(uri->host, "ldap.corp.example");
    EXPECT_EQ(uri->port, 636);
    EXPECT_EQ(uri->where(), "ldap.corp.example:636");
}

TEST(LdapUri, LdapDefaultsToPort389AndKeepsAnExplicitOne) {
    EXPECT_EQ(parse_ldap_uri("ldap://a.example")->port, 389);
    EXPECT_EQ(parse_ldap_uri("ldap://a.example:3389")->port, 3389);
}

TEST(LdapUri, Ipv6LiteralLosesItsBrackets) {
    const auto uri = parse_ldap_uri("ldap://[::1]:389");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->host, "::1");
    EXPECT_TRUE(uri->host_is_ip_address());
    EXPECT_EQ(uri->where(), "[::1]:389");
}

TEST(LdapUri, AnIpv6LiteralWithAZoneIsStillAnAddress) {
    const auto uri = parse_ldap_uri("ldap://[fe80::1%25eth0]:389");
    ASSERT_TRUE(uri);
    EXPECT_TRUE(uri->host_is_ip_address()) << uri->host;
    EXPECT_FALSE(uri->is_loopback());
    EXPECT_TRUE(parse_ldap_uri("ldap://[::1%25lo]")->is_loopback());
}

TEST(LdapUri, LdapiPathIsUnescaped) {
    const auto uri = parse_ldap_uri("ldapi://%2Ftmp%2Fslapd%2Fldapi");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->scheme, ldap_uri::kind::ldapi);
    EXPECT_EQ(uri->socket_path, "/tmp/slapd/ldapi");
}

TEST(LdapUri, LoopbackIsTheLocalMachineOnly) {
    EXPECT_TRUE(parse_ldap_uri("ldap://127.0.0.1")->is_loopback());
    EXPECT_TRUE(parse_ldap_uri("ldap://127.1.2.3")->is_loopback());
    EXPECT_TRUE(parse_ldap_uri("ldap://LOCALHOST")->is_loopback());
    EXPECT_TRUE(parse_ldap_uri("ldap://[::1]")->is_loopback());
    EXPECT_TRUE(parse_ldap_uri("ldapi://")->is_loopback());
    EXPECT_FALSE(parse_ldap_uri("ldap://10.0.0.5")->is_loopback());
    EXPECT_FALSE(parse_ldap_uri("ldap://ldap.corp.example")->is_loopback());
}

TEST(LdapUri, ADnOrFilterIsNotAServerUri) {
    std::string why;
    EXPECT_FALSE(parse_ldap_uri("ldap://host/dc=example,dc=org", &why));
    EXPECT_NE(why.find("without DN or filter"), std::string::npos);
    EXPECT_FALSE(parse_ldap_uri("http://host", &why));
}

TEST(LdapUri, TlsModesReadAndPrintTheSameWords) {
    for (const auto* word : {"none", "starttls", "ldaps"}) {
        EXPECT_EQ(to_string(*parse_tls_mode(word)), word);
    }
    EXPECT_FALSE(parse_tls_mode("ssl"));
}

}  // namespace
}  // namespace scimldap::ldap
