// Which of ldap.uris a client's connections use (bridge/ldap/server_target): one at a time, the
// next when it fails, an earlier one again when the failback finds it answering.
#include "bridge/ldap/server_target.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace scimldap::ldap {
namespace {

TEST(ServerTarget, TheFirstUriIsTheTarget) {
    const server_target t(3);
    EXPECT_EQ(t.current(), 0u);
}

TEST(ServerTarget, AFailedTargetMakesTheNextOneTheTargetOnce) {
    server_target t(3);
    std::vector<std::pair<std::size_t, std::size_t>> changes;
    t.on_change([&](std::size_t from, std::size_t to) { changes.emplace_back(from, to); });

    EXPECT_TRUE(t.failed(0));
    // The other connections that could not reach the first URI report it too.
    EXPECT_FALSE(t.failed(0));
    EXPECT_EQ(t.current(), 1u);
    EXPECT_EQ(changes, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}}));
}

TEST(ServerTarget, AfterTheLastUriComesTheFirst) {
    server_target t(2);
    ASSERT_TRUE(t.failed(0));
    EXPECT_TRUE(t.failed(1));
    EXPECT_EQ(t.current(), 0u);
}

TEST(ServerTarget, OneUriStaysTheTarget) {
    server_target t(1);
    EXPECT_FALSE(t.failed(0));
    EXPECT_EQ(t.current(), 0u);
}

TEST(ServerTarget, FailbackPrefersOnlyAnEarlierUri) {
    server_target t(3);
    ASSERT_TRUE(t.failed(0));
    ASSERT_TRUE(t.failed(1));
    ASSERT_EQ(t.current(), 2u);
    EXPECT_FALSE(t.prefer(2));
    EXPECT_TRUE(t.prefer(0));
    EXPECT_EQ(t.current(), 0u);
    EXPECT_FALSE(t.prefer(1));  // later than the target: stays
    EXPECT_EQ(t.current(), 0u);
}

}  // namespace
}  // namespace scimldap::ldap
