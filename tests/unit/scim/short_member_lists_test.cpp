// Which groups recently had a short member list (their reads count members without a turn).
#include "bridge/scim/short_member_lists.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

namespace scimldap::scim {
namespace {

using namespace std::chrono_literals;

TEST(ShortMemberLists, ARememberedGroupIsKnownWithinTheTtl) {
    short_member_lists lists(60s, 100);
    lists.remember("acme", "g1");
    EXPECT_TRUE(lists.contains("acme", "g1"));
    EXPECT_FALSE(lists.contains("acme", "g2"));
}

TEST(ShortMemberLists, TenantsAreKeptApart) {
    short_member_lists lists(60s, 100);
    lists.remember("acme", "g1");
    EXPECT_FALSE(lists.contains("other", "g1"));
}

TEST(ShortMemberLists, AForgottenGroupIsNotKnown) {
    short_member_lists lists(60s, 100);
    lists.remember("acme", "g1");
    lists.forget("acme", "g1");
    EXPECT_FALSE(lists.contains("acme", "g1"));
}

TEST(ShortMemberLists, AGroupSeenLongerAgoThanTheTtlIsNotKnown) {
    short_member_lists lists(20ms, 100);
    lists.remember("acme", "g1");
    std::this_thread::sleep_for(40ms);
    EXPECT_FALSE(lists.contains("acme", "g1"));
}

TEST(ShortMemberLists, AtCapacityTheOldestHalfGoesAndTheNewestStays) {
    short_member_lists lists(60s, 4);
    for (int i = 0; i < 4; ++i) {
        lists.remember("acme", "g" + std::to_string(i));
        std::this_thread::sleep_for(2ms);  // distinct times
    }
    lists.remember("acme", "g4");
    EXPECT_FALSE(lists.contains("acme", "g0"));
    EXPECT_FALSE(lists.contains("acme", "g1"));
    EXPECT_TRUE(lists.contains("acme", "g3"));
    EXPECT_TRUE(lists.contains("acme", "g4"));
}

}  // namespace
}  // namespace scimldap::scim
