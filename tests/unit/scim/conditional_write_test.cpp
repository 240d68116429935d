// What a conditional write that lost a race answers (RFC 7232 §3.1, RFC 4528).
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/ldap_error_map.hpp"

#include <gtest/gtest.h>
#include <ldap.h>

namespace scimldap::scim {
namespace {

error failed_write(int code) {
    return from_ldap({ldap::make_error(code), "", ""}, {"replace", ""});
}

TEST(LostRace, AFailedAssertionWithoutIfMatchIsRetried) {
    bool retry = false;
    const error e = lost_race(failed_write(LDAP_ASSERTION_FAILED), false, retry);
    EXPECT_TRUE(retry);
    EXPECT_EQ(e.code, errc::precondition_failed);
}

TEST(LostRace, AConcurrentRenameWithoutIfMatchIsRetried) {
    bool retry = false;
    lost_race(failed_write(LDAP_NO_SUCH_OBJECT), false, retry);
    EXPECT_TRUE(retry);
}

TEST(LostRace, WithIfMatchTheEntryGoneUnderItsNameIs412NotRetried) {
    bool retry = true;
    const error e = lost_race(failed_write(LDAP_NO_SUCH_OBJECT), true, retry);
    EXPECT_FALSE(retry);
    EXPECT_EQ(e.code, errc::precondition_failed);
}

TEST(LostRace, AnyOtherFailureIsAnsweredAsItIs) {
    bool retry = true;
    const error e = lost_race(failed_write(LDAP_CONSTRAINT_VIOLATION), false, retry);
    EXPECT_FALSE(retry);
    EXPECT_EQ(e.code, errc::invalid_value);
}

TEST(LostRace, AnErrorNotFromTheDirectoryIsNeverRetried) {
    bool retry = true;
    lost_race(error{errc::internal, "x"}, false, retry);
    EXPECT_FALSE(retry);
}

}  // namespace
}  // namespace scimldap::scim
