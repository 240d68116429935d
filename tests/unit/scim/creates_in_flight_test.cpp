// The per-process registry of creates in flight (bridge/scim/creates_in_flight).
#include "bridge/scim/creates_in_flight.hpp"

#include <gtest/gtest.h>

namespace scimldap::scim {
namespace {

TEST(CreatesInFlight, SecondCreateOfOneDnSeesTheFirstWhileItRuns) {
    creates_in_flight registry;
    // DNs compare as DNs: the userName's case and the attribute name's case do not matter.
    const auto second = registry.enter(ldap::dn("UID=Ada,ou=people,dc=example,dc=org"));
    {
        const auto first = registry.enter(ldap::dn("uid=ada,ou=People,dc=example,dc=org"));
        EXPECT_TRUE(first.others_running());
        EXPECT_TRUE(second.others_running());
    }
    EXPECT_FALSE(second.others_running());
}

TEST(CreatesInFlight, OtherDnsDoNotCount) {
    creates_in_flight registry;
    const auto a = registry.enter(ldap::dn("uid=a,ou=People,dc=example,dc=org"));
    const auto b = registry.enter(ldap::dn("uid=b,ou=People,dc=example,dc=org"));
    EXPECT_FALSE(a.others_running());
    EXPECT_FALSE(b.others_running());
}

}  // namespace
}  // namespace scimldap::scim
