// What makes an account active or inactive in LDAP (mapping/active_state): ppolicy's lock and the
// end-time mark beside it, which a Password Modify does not take away.
#include "mapping/active_state.hpp"
#include "mapping/resource_reader.hpp"

#include <gtest/gtest.h>

namespace scimldap::mapping {
namespace {

using strings = std::vector<std::string>;

/// The shipped profiles' strategy: the lock and the end-time mark.
active_settings with_mark() {
    active_settings s;
    s.end_ldap = "pwdEndTime";
    return s;
}

ldap::entry entry_with(std::vector<ldap::attribute> attributes) {
    ldap::entry e;
    e.name = ldap::dn("uid=ada,ou=People,dc=example,dc=org");
    e.attributes = std::move(attributes);
    return e;
}

const ldap::modification* change_of(const std::vector<ldap::modification>& changes,
                                    std::string_view attribute) {
    for (const auto& c : changes) {
        if (c.attribute == attribute) {
            return &c;
        }
    }
    return nullptr;
}

TEST(ActiveState, DeactivationWritesTheLockAndTheEndTimeMark) {
    const auto changes = active_changes(with_mark(), nullptr, false);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].op, ldap::mod_op::replace);
    EXPECT_EQ(changes[0].attribute, "pwdAccountLockedTime");
    EXPECT_EQ(changes[0].values, strings{"000001010000Z"});
    EXPECT_EQ(changes[1].op, ldap::mod_op::replace);
    EXPECT_EQ(changes[1].attribute, "pwdEndTime");
    EXPECT_EQ(changes[1].values, strings{"20000101000000Z"});
}

TEST(ActiveState, TheEndTimeMarkAloneIsInactive) {
    // What a Password Modify leaves of a deactivated account: ppolicy deleted the lock.
    const auto e = entry_with({{"pwdEndTime", {"20000101000000Z"}}});
    EXPECT_FALSE(is_active(with_mark(), e));
    EXPECT_TRUE(active_changes(with_mark(), &e, false).empty());
}

TEST(ActiveState, AnEndTimeOfAnAdminsIsNotTheMark) {
    const auto e = entry_with({{"pwdEndTime", {"20991231000000Z"}}});
    EXPECT_TRUE(is_active(with_mark(), e));
}

TEST(ActiveState, ActivationRemovesTheLockAndTheMarkWithReplaces) {
    const auto e = entry_with(
        {{"pwdAccountLockedTime", {"000001010000Z"}}, {"pwdEndTime", {"20000101000000Z"}}});
    const auto changes = active_changes(with_mark(), &e, true);
    ASSERT_EQ(changes.size(), 2u);
    for (const auto& c : changes) {
        EXPECT_EQ(c.op, ldap::mod_op::replace) << c.attribute;
        EXPECT_TRUE(c.values.empty()) << c.attribute;
    }
    EXPECT_NE(change_of(changes, "pwdEndTime"), nullptr);
}

TEST(ActiveState, ActivationLeavesAnAdminsEndTime) {
    const auto e = entry_with(
        {{"pwdAccountLockedTime", {"000001010000Z"}}, {"pwdEndTime", {"20991231000000Z"}}});
    const auto changes = active_changes(with_mark(), &e, true);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].attribute, "pwdAccountLockedTime");
    EXPECT_TRUE(changes[0].values.empty());
}

TEST(ActiveState, AnInactiveEntryWithoutTheMarkGetsIt) {
    // Locked before the mark existed (or by an admin): a password change would unlock it.
    const auto e = entry_with({{"pwdAccountLockedTime", {"000001010000Z"}}});
    const auto changes = active_changes(with_mark(), &e, false);
    const auto* mark = change_of(changes, "pwdEndTime");
    ASSERT_NE(mark, nullptr);
    EXPECT_EQ(mark->values, strings{"20000101000000Z"});
}

TEST(ActiveState, DeactivationKeepsAnEndTimeAnAdminSet) {
    const auto e = entry_with({{"pwdEndTime", {"20991231000000Z"}}});
    const auto changes = active_changes(with_mark(), &e, false);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].attribute, "pwdAccountLockedTime");
    EXPECT_EQ(lock_changes(with_mark(), &e).size(), 1u);
    // Inactive by the lock, with the admin's time: nothing more to write.
    const auto locked = entry_with(
        {{"pwdAccountLockedTime", {"000001010000Z"}}, {"pwdEndTime", {"20991231000000Z"}}});
    EXPECT_TRUE(active_changes(with_mark(), &locked, false).empty());
}

TEST(ActiveState, AnActiveEntryNeedsNoChangeToStayActive) {
    const auto e = entry_with({});
    EXPECT_TRUE(active_changes(with_mark(), &e, true).empty());
}

TEST(ActiveState, WithoutAnEndAttributeOnlyTheLockIsWritten) {
    const active_settings s;  // the default: no end_ldap
    EXPECT_EQ(inactive_attributes(s).size(), 1u);
    const auto changes = active_changes(s, nullptr, true);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].attribute, "pwdAccountLockedTime");
    EXPECT_TRUE(is_active(s, entry_with({{"pwdEndTime", {"20000101000000Z"}}})));
}

TEST(ActiveState, TheAttributeStrategyWritesItsOneValue) {
    active_settings s;
    s.how = active_settings::strategy::attribute;
    s.ldap = "employeeActive";
    s.end_ldap.clear();
    const auto changes = active_changes(s, nullptr, false);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].attribute, "employeeActive");
    EXPECT_EQ(changes[0].values, strings{"FALSE"});
    const auto add = inactive_attributes(s);
    ASSERT_EQ(add.size(), 1u);
    EXPECT_EQ(add[0].values, strings{"FALSE"});
}

}  // namespace
}  // namespace scimldap::mapping
