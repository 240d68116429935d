#include "bridge/scim/group_names.hpp"

#include <gtest/gtest.h>

namespace scimldap::scim {
namespace {

using namespace std::chrono_literals;
using clock = group_names::clock;

const std::string staff = "cn=staff,ou=groups,dc=example,dc=org";

TEST(GroupNames, AStoredNameIsFoundWhileFresh) {
    group_names names(1s, 10);
    const auto t0 = clock::now();
    names.store(staff, {"id-1", "Staff"}, names.generation(), t0);
    const auto found = names.find(staff, t0 + 100ms);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, "id-1");
    EXPECT_EQ(found->display, "Staff");
}

TEST(GroupNames, AnUnknownDnIsNotFound) {
    group_names names(1s, 10);
    EXPECT_FALSE(names.find(staff));
}

TEST(GroupNames, ANameIsNeverUsedPastItsTtl) {
    group_names names(1s, 10);
    const auto t0 = clock::now();
    names.store(staff, {"id-1", "Staff"}, names.generation(), t0);
    EXPECT_FALSE(names.find(staff, t0 + 1s));
    EXPECT_EQ(names.size(), 0u);
}

TEST(GroupNames, PastHalfItsTtlOneCallerRefreshesWhileTheOthersKeepIt) {
    group_names names(1s, 10);
    const auto t0 = clock::now();
    names.store(staff, {"id-1", "Staff"}, names.generation(), t0);
    EXPECT_FALSE(names.find(staff, t0 + 600ms));  // this caller reads the group again
    EXPECT_TRUE(names.find(staff, t0 + 650ms));   // the others meanwhile use the name
    names.store(staff, {"id-1", "Staff (new)"}, names.generation(), t0 + 700ms);
    const auto found = names.find(staff, t0 + 1100ms);  // 400 ms after the refresh
    ASSERT_TRUE(found);
    EXPECT_EQ(found->display, "Staff (new)");
}

TEST(GroupNames, AForgottenDnMustBeReadAgain) {
    group_names names(1s, 10);
    names.store(staff, {"id-1", "Staff"}, names.generation());
    names.forget(staff);
    EXPECT_FALSE(names.find(staff));
}

TEST(GroupNames, AReadBegunBeforeAForgetStoresNothing) {
    // A request read the group, then the bridge rewrote it and forgot the name: what the read
    // found may be what the write replaced.
    group_names names(1s, 10);
    const auto read_at = names.generation();
    names.forget(staff);
    names.store(staff, {"old-id", "Staff"}, read_at);
    EXPECT_FALSE(names.find(staff));
    names.store(staff, {"new-id", "Staff"}, names.generation());
    EXPECT_EQ(names.find(staff)->id, "new-id");
}

TEST(GroupNames, BeyondItsBoundExpiredNamesGoFirst) {
    group_names names(1s, 2);
    const auto t0 = clock::now();
    names.store("cn=a", {"a", "A"}, names.generation(), t0);
    names.store("cn=b", {"b", "B"}, names.generation(), t0 + 900ms);
    names.store("cn=c", {"c", "C"}, names.generation(),
                t0 + 1100ms);  // cn=a has expired: it makes room
    EXPECT_EQ(names.size(), 2u);
    EXPECT_TRUE(names.find("cn=b", t0 + 1200ms));
    EXPECT_TRUE(names.find("cn=c", t0 + 1200ms));
}

TEST(GroupNames, BeyondItsBoundWithEveryNameFreshItStartsOver) {
    group_names names(1s, 2);
    const auto t0 = clock::now();
    names.store("cn=a", {"a", "A"}, names.generation(), t0);
    names.store("cn=b", {"b", "B"}, names.generation(), t0);
    names.store("cn=c", {"c", "C"}, names.generation(), t0);
    EXPECT_EQ(names.size(), 1u);
    EXPECT_TRUE(names.find("cn=c", t0));
}

}  // namespace
}  // namespace scimldap::scim
