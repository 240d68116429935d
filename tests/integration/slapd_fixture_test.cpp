#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>

using namespace scimldap::testing;

TEST(SlapdFixtureSmoke, Starts) {
    slapd_options options;
    options.seed_sample = true;
    slapd_launcher slapd(options);
    slapd.start();
    std::cout << "start " << slapd.last_start_duration().count() << " ms\n";
    ldap_admin admin(slapd);
    EXPECT_TRUE(admin.read("ou=People,dc=example,dc=org"));
}
