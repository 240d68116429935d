// The replicated directory of docs/scale-out.md, as tests/support/replicated_slapd starts it: two
// providers in multi-provider replication and a read-only consumer. What the bridge relies on
// there: a write on either provider reaches the others (memberOf too), a provider killed and
// restarted catches up, and the consumer refers writes.
#include "tests/support/ldap_admin.hpp"
#include "tests/support/replicated_slapd.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace {

using namespace scimldap::testing;

constexpr int referral = 10;

std::string user_dn(const std::string& uid) {
    return "uid=" + uid + ",ou=People,dc=example,dc=org";
}

std::string user_ldif(const std::string& uid) {
    return "dn: " + user_dn(uid) + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid +
           "\nsn: " + uid + "\n";
}

std::vector<std::string> values_on(slapd_launcher& server, const std::string& dn,
                                   const std::string& attribute) {
    ldap_admin admin(server);
    const auto e = admin.read(dn, {attribute});
    return e ? attribute_values(*e, attribute) : std::vector<std::string>{};
}

class Replication : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        directory_ = new replicated_slapd();
        directory_->start();
    }
    static void TearDownTestSuite() {
        delete directory_;
        directory_ = nullptr;
    }
    static replicated_slapd* directory_;
};
replicated_slapd* Replication::directory_ = nullptr;

TEST_F(Replication, AWriteOnEitherProviderReachesTheOtherAndTheConsumerWithMemberOf) {
    const std::string group = "cn=replicated-team,ou=Groups,dc=example,dc=org";
    ldap_admin(directory_->provider(1)).apply_ldif(user_ldif("repl.one"));
    ASSERT_TRUE(replicated_slapd::wait_for_entry(directory_->provider(2), user_dn("repl.one")));
    ldap_admin(directory_->provider(2))
        .apply_ldif("dn: " + group + "\nobjectClass: groupOfNames\ncn: replicated-team\nmember: " +
                    user_dn("repl.one") + "\n");

    for (auto* server :
         {&directory_->provider(1), &directory_->provider(2), &directory_->consumer()}) {
        EXPECT_TRUE(replicated_slapd::wait_for_entry(*server, group)) << server->uri();
        // memberof runs where the group was written; the user's memberOf replicates from there.
        EXPECT_TRUE(
            replicated_slapd::wait_for_values(*server, user_dn("repl.one"), "memberOf", {group}))
            << server->uri();
    }
    // One entry, one id everywhere.
    const auto id = values_on(directory_->provider(1), user_dn("repl.one"), "entryUUID");
    ASSERT_EQ(id.size(), 1u);
    EXPECT_EQ(values_on(directory_->consumer(), user_dn("repl.one"), "entryUUID"), id);
}

TEST_F(Replication, AProviderKilledAndRestartedCatchesUpWithWhatTheOtherTook) {
    ldap_admin(directory_->provider(1)).apply_ldif(user_ldif("repl.two"));
    ASSERT_TRUE(replicated_slapd::wait_for_entry(directory_->provider(2), user_dn("repl.two")));
    directory_->provider(1).kill();
    ldap_admin(directory_->provider(2)).apply_ldif(user_ldif("repl.during"));
    ldap_admin(directory_->provider(2))
        .apply_ldif("dn: " + user_dn("repl.two") +
                    "\nchangetype: modify\nreplace: title\n"
                    "title: changed while provider 1 was down\n");

    directory_->provider(1).start();

    EXPECT_TRUE(replicated_slapd::wait_for_entry(directory_->provider(1), user_dn("repl.during")));
    EXPECT_TRUE(replicated_slapd::wait_for_entry(directory_->consumer(), user_dn("repl.during")));
    EXPECT_TRUE(replicated_slapd::wait_for_values(directory_->provider(1), user_dn("repl.two"),
                                                  "title", {"changed while provider 1 was down"}));
}

TEST_F(Replication, TheConsumerRefersWritesToAProvider) {
    try {
        ldap_admin(directory_->consumer()).apply_ldif(user_ldif("repl.refused"));
        ADD_FAILURE() << "the consumer took a write";
    } catch (const ldap_admin_error& e) {
        EXPECT_EQ(e.code(), referral) << e.what();
    }
    EXPECT_FALSE(replicated_slapd::wait_for_entry(directory_->provider(1), user_dn("repl.refused"),
                                                  std::chrono::milliseconds(300)));
}

}  // namespace
