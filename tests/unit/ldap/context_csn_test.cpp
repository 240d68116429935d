// What a replicated server holds, compared by its contextCSN values (bridge/ldap/context_csn).
#include "bridge/ldap/context_csn.hpp"

#include <gtest/gtest.h>

namespace scimldap::ldap {
namespace {

constexpr const char* suffix = "dc=example,dc=org";

csn_set of(std::vector<std::string> values, std::string_view context = suffix) {
    csn_set s;
    s.add(context, values);
    return s;
}

TEST(ContextCsn, AServerCoversWhatItHoldsItself) {
    const auto held = of({"20261207135218.242554Z#000000#001#000000"});
    EXPECT_TRUE(held.covers(held));
}

TEST(ContextCsn, ALaterChangeFromTheSameServerCoversAnEarlierOne) {
    const auto earlier = of({"20261207135218.242554Z#000000#001#000000"});
    const auto later = of({"20261207135218.266318Z#000000#001#000000"});
    EXPECT_TRUE(later.covers(earlier));
    EXPECT_FALSE(earlier.covers(later));
}

TEST(ContextCsn, TheCountOrdersChangesOfOneMicrosecond) {
    const auto first = of({"20261207135218.242554Z#000000#001#000000"});
    const auto second = of({"20261207135218.242554Z#000001#001#000000"});
    EXPECT_TRUE(second.covers(first));
    EXPECT_FALSE(first.covers(second));
}

TEST(ContextCsn, EachOriginIsComparedApart) {
    // Provider 2 is ahead in its own changes but lacks provider 1's latest.
    const auto provider1 = of(
        {"20261207135220.667032Z#000000#001#000000", "20261207135219.000000Z#000000#002#000000"});
    const auto provider2 = of(
        {"20261207135219.500000Z#000000#001#000000", "20261207135221.000000Z#000000#002#000000"});
    EXPECT_FALSE(provider2.covers(provider1));
    EXPECT_FALSE(provider1.covers(provider2));
}

TEST(ContextCsn, AnOriginNeverSeenIsNotCovered) {
    const auto with_two = of(
        {"20261207135220.667032Z#000000#001#000000", "20261207135220.690699Z#000000#002#000000"});
    const auto with_one = of({"20261207135230.000000Z#000000#001#000000"});
    EXPECT_FALSE(with_one.covers(with_two));
    EXPECT_TRUE(with_two.covers(of({"20261207135220.690699Z#000000#002#000000"})));
}

TEST(ContextCsn, NamingContextsAreComparedApart) {
    csn_set a = of({"20261207135220.000000Z#000000#001#000000"}, "dc=a");
    const csn_set b = of({"20261207135220.000000Z#000000#001#000000"}, "dc=b");
    EXPECT_FALSE(a.covers(b));
    a.add("dc=b", {"20261207135221.000000Z#000000#001#000000"});
    EXPECT_TRUE(a.covers(b));
}

TEST(ContextCsn, ValuesThatAreNoCsnAreIgnored) {
    const auto odd = of({"not a csn", "2026#1#2", "20261207135220.000000Z#000000#0x1#000000"});
    EXPECT_TRUE(odd.empty());
    EXPECT_TRUE(of({"20261207135220.000000Z#000000#001#000000"}).covers(odd));
}

TEST(ContextCsn, OnlyTheNamingContextsHoldingTheBridgesEntriesAreCompared) {
    const std::vector<std::string> contexts{"cn=accesslog", "dc=example,dc=org", "o=other"};
    EXPECT_EQ(contexts_holding(contexts, {"ou=People,DC=Example,DC=org", "dc=example,dc=org"}),
              std::vector<std::string>{"dc=example,dc=org"});
    // Whole RDNs, not the end of a value; spaces after commas as the config may write them.
    EXPECT_TRUE(contexts_holding({"c=org"}, {"ou=People,dc=org"}).empty());
    EXPECT_EQ(contexts_holding(contexts, {"ou=People, dc=example, dc=org"}),
              std::vector<std::string>{"dc=example,dc=org"});
    EXPECT_EQ(contexts_holding(contexts, {}), contexts);
}

}  // namespace
}  // namespace scimldap::ldap
