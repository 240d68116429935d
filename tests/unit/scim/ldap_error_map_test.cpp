#include "bridge/scim/ldap_error_map.hpp"

#include <gtest/gtest.h>
#include <ldap.h>

namespace scimldap::scim {
namespace {

error map(int code, std::string_view attribute = "userName") {
    return from_ldap({ldap::make_error(code), "diag", ""}, {"create", attribute});
}

TEST(LdapErrorMap, EntryAlreadyExistsIs409Uniqueness) {
    const auto e = map(LDAP_ALREADY_EXISTS);
    EXPECT_EQ(e.code, errc::uniqueness);
    EXPECT_NE(e.detail.find("userName"), std::string::npos);
}

TEST(LdapErrorMap, TheErrorCarriesTheLdapCodeItWasMadeFrom) {
    // Callers branch on the code (a retried create finding its own entry, a lost race), not
    // on the SCIM reason: noSuchAttribute and objectClassViolation are both invalidValue.
    EXPECT_TRUE(map(LDAP_NO_SUCH_ATTRIBUTE).is(ldap::rc::no_such_attribute));
    EXPECT_TRUE(map(LDAP_OBJECT_CLASS_VIOLATION).is(ldap::rc::object_class_violation));
    EXPECT_FALSE(map(LDAP_OBJECT_CLASS_VIOLATION).is(ldap::rc::no_such_attribute));
    EXPECT_EQ(map(LDAP_OTHER).ldap_code, static_cast<ldap::rc>(LDAP_OTHER));
}

TEST(LdapErrorMap, AnErrorNotFromTheDirectoryCarriesNoLdapCode) {
    const error e{errc::invalid_value, "x"};
    EXPECT_FALSE(e.ldap_code.has_value());
    EXPECT_FALSE(e.is(ldap::rc::success));
}

TEST(LdapErrorMap, NoSuchObjectIs404) {
    EXPECT_EQ(map(LDAP_NO_SUCH_OBJECT).code, errc::not_found);
}

TEST(LdapErrorMap, SchemaViolationsAre400InvalidValueNamingTheAttribute) {
    for (int code : {LDAP_OBJECT_CLASS_VIOLATION, LDAP_CONSTRAINT_VIOLATION, LDAP_INVALID_SYNTAX,
                     LDAP_UNDEFINED_TYPE}) {
        const auto e = map(code, "title");
        EXPECT_EQ(e.code, errc::invalid_value) << code;
        EXPECT_NE(e.detail.find("title"), std::string::npos) << e.detail;
    }
}

TEST(LdapErrorMap, InsufficientAccessIs500ForTheOperator) {
    const auto e = map(LDAP_INSUFFICIENT_ACCESS);
    EXPECT_EQ(to_wire(e.code).status, 500u);
    EXPECT_NE(e.detail.find("olcAccess"), std::string::npos);
}

TEST(LdapErrorMap, UnavailableDirectoryIs503WithRetryAfter) {
    for (int code :
         {LDAP_BUSY, LDAP_UNAVAILABLE, LDAP_SERVER_DOWN, LDAP_TIMEOUT, LDAP_CONNECT_ERROR}) {
        const auto e = map(code);
        EXPECT_EQ(e.code, errc::unavailable) << code;
        ASSERT_TRUE(e.retry_after_seconds) << code;
    }
}

TEST(LdapErrorMap, AssertionFailedIs412) {
    EXPECT_EQ(map(LDAP_ASSERTION_FAILED).code, errc::precondition_failed);
}

}  // namespace
}  // namespace scimldap::scim

namespace scimldap::scim {
namespace {

TEST(LdapErrorMap, UniqueOverlayRefusalIs409Uniqueness) {
    const auto e =
        from_ldap({ldap::make_error(LDAP_CONSTRAINT_VIOLATION), "some attributes not unique", ""},
                  {"create", "userName"});
    EXPECT_EQ(e.code, errc::uniqueness);
}

TEST(LdapErrorMap, UniqueOverlayRefusalOfARenameIs409Uniqueness) {
    // slapd 2.5.13's text for a modrdn onto a taken uid.
    const auto e = from_ldap({ldap::make_error(LDAP_CONSTRAINT_VIOLATION),
                              "non-unique attributes found with (|(uid=alice))", ""},
                             {"rename", "userName"});
    EXPECT_EQ(e.code, errc::uniqueness);
    EXPECT_NE(e.detail.find("userName"), std::string::npos);
}

}  // namespace
}  // namespace scimldap::scim
