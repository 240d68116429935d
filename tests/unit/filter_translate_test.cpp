// SCIM filter → LDAP filter through the default profile (RFC 7644 §3.4.2.2, RFC 4515).
#include "mapping/filter_translate.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace scimldap::mapping {
namespace {

const resource_profile& users() {
    static const auto p = *load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                         "mapping/profiles/openldap-inetorgperson.json")
                                            .string());
    return p->user;
}

std::string ldap_of(std::string_view scim) {
    auto parsed = parse_filter(scim);
    EXPECT_TRUE(parsed) << scim;
    auto f = translate_filter(users(), *parsed);
    if (!f) {
        const auto e = f.error();
        return "error: " + e.detail;
    }
    return f->str();
}

TEST(FilterTranslate, UserNameEqIsOneIndexedEquality) {
    EXPECT_EQ(ldap_of(R"(userName eq "bjensen")"), "(&(objectClass=inetOrgPerson)(uid=bjensen))");
}

TEST(FilterTranslate, ValuesAreEscapedPerRfc4515) {
    EXPECT_EQ(ldap_of(R"(userName eq "x)(uid=*")"),
              "(&(objectClass=inetOrgPerson)(uid=x\\29\\28uid=\\2a))");
}

TEST(FilterTranslate, OperatorsMapToLdapForms) {
    EXPECT_EQ(ldap_of(R"(title co "eng")"), "(&(objectClass=inetOrgPerson)(title=*eng*))");
    EXPECT_EQ(ldap_of(R"(title sw "eng")"), "(&(objectClass=inetOrgPerson)(title=eng*))");
    EXPECT_EQ(ldap_of(R"(title ew "eng")"), "(&(objectClass=inetOrgPerson)(title=*eng))");
    EXPECT_EQ(ldap_of("title pr"), "(&(objectClass=inetOrgPerson)(title=*))");
    EXPECT_EQ(ldap_of(R"(title ne "x")"), "(&(objectClass=inetOrgPerson)(!(title=x)))");
}

TEST(FilterTranslate, StrictGreaterThanExcludesEquality) {
    EXPECT_EQ(ldap_of(R"(userName gt "m")"), "(&(objectClass=inetOrgPerson)(&(uid>=m)(!(uid=m))))");
}

TEST(FilterTranslate, AndOrNotCompose) {
    EXPECT_EQ(ldap_of(R"(userName eq "a" or not (title pr) and displayName eq "b")"),
              "(&(objectClass=inetOrgPerson)(|(uid=a)(&(!(title=*))(displayName=b))))");
}

TEST(FilterTranslate, EmailValueFilterUsesTheSelectedMapping) {
    EXPECT_EQ(ldap_of(R"(emails[type eq "work"].value eq "a@x.org")"),
              "(&(objectClass=inetOrgPerson)(mail=a@x.org))");
    EXPECT_EQ(ldap_of(R"(emails.value eq "a@x.org")"),
              "(&(objectClass=inetOrgPerson)(mail=a@x.org))");
}

TEST(FilterTranslate, ActiveUsesTheLockAttribute) {
    EXPECT_EQ(ldap_of("active eq false"), "(&(objectClass=inetOrgPerson)(pwdAccountLockedTime=*))");
    EXPECT_EQ(ldap_of("active eq true"),
              "(&(objectClass=inetOrgPerson)(!(pwdAccountLockedTime=*)))");
}

TEST(FilterTranslate, IdIsEntryUuid) {
    EXPECT_EQ(ldap_of(R"(id eq "0b6e3f8c-1111-4a4a-9c9c-0123456789ab")"),
              "(&(objectClass=inetOrgPerson)(entryUUID=0b6e3f8c-1111-4a4a-9c9c-0123456789ab))");
}

TEST(FilterTranslate, EnterpriseAttributeByUrn) {
    EXPECT_EQ(
        ldap_of(
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7")"),
        "(&(objectClass=inetOrgPerson)(employeeNumber=7))");
}

TEST(FilterTranslate, UnmappedAttributeIsInvalidFilterNamingIt) {
    auto parsed = parse_filter(R"(nosuch eq "x")");
    auto f = translate_filter(users(), *parsed);
    ASSERT_FALSE(f);
    const auto e = f.error();
    EXPECT_EQ(e.code, scim::errc::invalid_filter);
    EXPECT_NE(e.detail.find("nosuch"), std::string::npos) << e.detail;
}

TEST(FilterTranslate, MetaLastModifiedComparesGeneralizedTime) {
    EXPECT_EQ(ldap_of(R"(meta.lastModified ge "2024-01-31T23:59:59Z")"),
              "(&(objectClass=inetOrgPerson)(modifyTimestamp>=20240131235959Z))");
}

}  // namespace
}  // namespace scimldap::mapping
