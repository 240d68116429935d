// The throwaway slapd itself: seeded DIT, the service account's rights, ppolicy deactivation,
// group maintenance overlays, advertised features and restart. Everything later tests rely on.
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_config.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

namespace {

using namespace scimldap::testing;
using namespace std::chrono_literals;

constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* groups = "ou=Groups,dc=example,dc=org";
constexpr const char* placeholder = "cn=empty-membership-placeholder,dc=example,dc=org";
constexpr const char* user_password = "user-secret";
constexpr int insufficient_access = 50;

// An inetOrgPerson add record for uid under parent, as the bridge would write it.
std::string user_ldif(const std::string& uid, const std::string& parent = people) {
    return "dn: uid=" + uid + "," + parent +
           "\nobjectClass: inetOrgPerson\nobjectClass: scimBridgeObject\nuid: " + uid +
           "\ncn: " + uid + "\nsn: " + uid + "\nscimExternalId: ext-" + uid +
           "\nuserPassword: " + user_password + "\n";
}
std::string user_dn(const std::string& uid, const std::string& parent = people) {
    return "uid=" + uid + "," + parent;
}
// The LDAP result code of applying ldif as who (0 on success).
int result_of(ldap_admin& who, const std::string& ldif) {
    try {
        who.apply_ldif(ldif);
        return 0;
    } catch (const ldap_admin_error& e) {
        return e.code();
    }
}
bool has_value(const std::optional<scimldap::ldap::entry>& e, const std::string& attr,
               const std::string& value) {
    if (!e) {
        return false;
    }
    const auto values = attribute_values(*e, attr);
    return std::find(values.begin(), values.end(), value) != values.end();
}
// refint works in a background thread after the delete/modrdn has been answered.
bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    auto backoff = 1ms;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, 100ms);
    }
    return true;
}

// One slapd per suite (the ctest entry), shared by its tests; each test uses its own names.
class slapd_suite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    static slapd_launcher& slapd() { return *slapd_; }
    static ldap_admin admin() { return ldap_admin(*slapd_); }
    static ldap_admin service() {
        return ldap_admin(*slapd_, slapd_launcher::service_dn, slapd_launcher::service_password);
    }

private:
    static inline std::unique_ptr<slapd_launcher> slapd_;
};

class SlapdFixtureDit : public slapd_suite {};
class SlapdFixtureAcl : public slapd_suite {};
class SlapdFixturePpolicy : public slapd_suite {};
class SlapdFixtureGroups : public slapd_suite {};
class SlapdFixtureServer : public slapd_suite {};

TEST_F(SlapdFixtureDit, SeedsTheOusOfBothTenants) {
    auto a = admin();
    for (const auto& ou : bridge_writable_ous()) {
        EXPECT_TRUE(a.read(ou, {"ou"})) << ou;
    }
    EXPECT_TRUE(a.read("ou=classlark,dc=example,dc=org", {"ou"}));
    EXPECT_TRUE(a.read("ou=Services,dc=example,dc=org", {"ou"}));
    EXPECT_TRUE(a.read("ou=Policies,dc=example,dc=org", {"ou"}));
}

TEST_F(SlapdFixtureDit, StoresTheServicePasswordHashed) {
    const auto e = admin().read(slapd_launcher::service_dn, {"userPassword"});
    ASSERT_TRUE(e);
    const auto values = attribute_values(*e, "userPassword");
    ASSERT_EQ(values.size(), 1u);
    EXPECT_EQ(values[0].rfind("{SSHA}", 0), 0u) << values[0];
}

TEST_F(SlapdFixtureDit, DefaultPolicyEnforcesAdministrativeLocks) {
    const auto policy = admin().read("cn=default,ou=Policies,dc=example,dc=org", {"*"});
    EXPECT_TRUE(has_value(policy, "pwdAttribute", "userPassword"));
    EXPECT_TRUE(has_value(policy, "pwdLockout", "TRUE"));
    EXPECT_TRUE(has_value(policy, "pwdMaxFailure", "0"));
}

TEST_F(SlapdFixtureDit, WritesTheServicePasswordFile) {
    std::ifstream in(slapd().service_password_file());
    std::string content;
    std::getline(in, content);
    EXPECT_EQ(content, slapd_launcher::service_password);
}

// --- the launcher: readiness means its own child answers ------------------------------------

TEST(SlapdFixturePort, PortHeldByAnotherSlapdIsNotTakenForOurs) {
    slapd_launcher stray;
    stray.start();
    slapd_options options;
    options.port = stray.port();  // a fixed port may not change: the start must fail
    slapd_launcher ours(options);
    EXPECT_THROW(ours.start(), std::runtime_error);
    EXPECT_FALSE(ours.running());
}

TEST(SlapdFixturePort, TakenFirstPortIsReplacedByAFreeOne) {
    slapd_launcher stray;
    stray.start();
    slapd_options options;
    options.first_port = stray.port();
    slapd_launcher ours(options);
    ours.start();
    EXPECT_TRUE(ours.running());
    EXPECT_NE(ours.port(), stray.port());
    stray.stop();  // what answers on ours.port() now can only be our own child
    EXPECT_TRUE(ldap_admin(ours).read("ou=People,dc=example,dc=org", {"ou"}));
}

TEST(SlapdFixtureSample, LoadsSampleUsersWithMemberOfAndHashedPasswords) {
    slapd_options options;
    options.seed_sample = true;
    slapd_launcher slapd(options);
    slapd.start();
    ldap_admin a(slapd);
    const auto alice =
        a.read("uid=alice,ou=People,dc=example,dc=org", {"memberOf", "userPassword"});
    EXPECT_TRUE(has_value(alice, "memberOf", "cn=Engineering,ou=Groups,dc=example,dc=org"));
    EXPECT_EQ(attribute_values(*alice, "userPassword").at(0).rfind("{SSHA}", 0), 0u);
    EXPECT_TRUE(a.can_bind("uid=alice,ou=People,dc=example,dc=org", "sample-secret"));
    EXPECT_FALSE(has_value(a.read("uid=bob,ou=People,dc=example,dc=org", {"objectClass"}),
                           "objectClass", "scimBridgeObject"));
}

// --- the service account: exactly what the bridge needs -------------------------------------

TEST_F(SlapdFixtureAcl, ServiceAccountCanBind) {
    EXPECT_TRUE(admin().can_bind(slapd_launcher::service_dn, slapd_launcher::service_password));
    EXPECT_FALSE(admin().can_bind(slapd_launcher::service_dn, "wrong"));
}

TEST_F(SlapdFixtureAcl, ServiceReadsRootDseAndSubschema) {
    auto s = service();
    EXPECT_FALSE(attribute_values(*s.read("", {"supportedControl"}), "supportedControl").empty());
    const auto subschema = s.read("cn=Subschema", {"attributeTypes"});
    ASSERT_TRUE(subschema);
    const auto types = attribute_values(*subschema, "attributeTypes");
    EXPECT_TRUE(std::any_of(types.begin(), types.end(), [](const std::string& t) {
        return t.find("'scimExternalId'") != std::string::npos;
    }));
}

TEST_F(SlapdFixtureAcl, AdminReadsRootDseAndSubschema) {
    auto a = admin();
    EXPECT_FALSE(attribute_values(*a.read("", {"supportedControl"}), "supportedControl").empty());
    EXPECT_FALSE(
        attribute_values(*a.read("cn=Subschema", {"objectClasses"}), "objectClasses").empty());
}

TEST_F(SlapdFixtureAcl, ServiceAddsModifiesAndDeletesUnderEveryWritableOu) {
    auto s = service();
    for (const auto& ou : bridge_writable_ous()) {
        SCOPED_TRACE(ou);
        const std::string dn = "cn=acl-probe," + ou;
        EXPECT_EQ(result_of(s, "dn: " + dn + "\nobjectClass: groupOfNames\ncn: acl-probe\n" +
                                   "member: " + placeholder + "\n"),
                  0);
        EXPECT_EQ(result_of(s, "dn: " + dn +
                                   "\nchangetype: modify\nreplace: description\ndescription: x\n"),
                  0);
        EXPECT_TRUE(has_value(admin().read(dn, {"description"}), "description", "x"));
        EXPECT_EQ(result_of(s, "dn: " + dn + "\nchangetype: delete\n"), 0);
        EXPECT_FALSE(admin().read(dn, {"cn"}));
    }
}

TEST_F(SlapdFixtureAcl, ServiceRenamesAndMovesUsersBetweenWritableOus) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("acl-mover")), 0);
    EXPECT_EQ(result_of(s, "dn: " + user_dn("acl-mover") +
                               "\nchangetype: modrdn\nnewrdn: uid=acl-moved\ndeleteoldrdn: 1\n"),
              0);
    EXPECT_EQ(result_of(s, "dn: " + user_dn("acl-moved") +
                               "\nchangetype: modrdn\nnewrdn: uid=acl-moved\ndeleteoldrdn: 1\n"
                               "newsuperior: ou=Archive,dc=example,dc=org\n"),
              0);
    EXPECT_TRUE(admin().read(user_dn("acl-moved", "ou=Archive,dc=example,dc=org"), {"uid"}));
}

TEST_F(SlapdFixtureAcl, ServiceCannotWriteServicesPoliciesOrTheSuffix) {
    auto s = service();
    EXPECT_EQ(result_of(s,
                        "dn: cn=intruder,ou=Services,dc=example,dc=org\n"
                        "objectClass: applicationProcess\ncn: intruder\n"),
              insufficient_access);
    EXPECT_EQ(result_of(s,
                        "dn: cn=default,ou=Policies,dc=example,dc=org\nchangetype: modify\n"
                        "replace: pwdLockout\npwdLockout: FALSE\n"),
              insufficient_access);
    EXPECT_EQ(result_of(s, "dn: dc=example,dc=org\nchangetype: modify\nreplace: o\no: taken\n"),
              insufficient_access);
    EXPECT_EQ(result_of(s, "dn: ou=Archive,ou=classlark,dc=example,dc=org\nchangetype: delete\n"),
              insufficient_access);
    EXPECT_EQ(result_of(s, "dn: " + std::string(slapd_launcher::service_dn) +
                               "\nchangetype: modify\nreplace: description\ndescription: x\n"),
              insufficient_access);
}

TEST_F(SlapdFixtureAcl, ServiceCannotReadPoliciesOrUserPasswords) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("acl-secret")), 0);
    EXPECT_FALSE(s.read("cn=default,ou=Policies,dc=example,dc=org", {"*"}));
    const auto user = s.read(user_dn("acl-secret"), {"uid", "userPassword"});
    EXPECT_TRUE(has_value(user, "uid", "acl-secret"));
    EXPECT_TRUE(attribute_values(*user, "userPassword").empty());
}

TEST_F(SlapdFixtureAcl, UserReadsOwnEntryButNoOtherAndCannotWriteIt) {
    ASSERT_EQ(result_of(*std::make_unique<ldap_admin>(slapd()), user_ldif("acl-self")), 0);
    ASSERT_EQ(result_of(*std::make_unique<ldap_admin>(slapd()), user_ldif("acl-other")), 0);
    ldap_admin self(slapd(), user_dn("acl-self"), user_password);
    EXPECT_TRUE(has_value(self.read(user_dn("acl-self"), {"cn"}), "cn", "acl-self"));
    EXPECT_FALSE(self.read(user_dn("acl-other"), {"cn"}));
    EXPECT_EQ(result_of(self, "dn: " + user_dn("acl-self") +
                                  "\nchangetype: modify\nreplace: cn\ncn: changed\n"),
              insufficient_access);
}

TEST_F(SlapdFixtureAcl, AnonymousMayOnlyBind) {
    ASSERT_EQ(result_of(*std::make_unique<ldap_admin>(slapd()), user_ldif("acl-anon")), 0);
    ldap_admin anonymous(slapd(), "", "");
    const auto root_dse = anonymous.read("", {"supportedControl"});
    EXPECT_TRUE(!root_dse || attribute_values(*root_dse, "supportedControl").empty());
    constexpr int no_such_object = 32;  // not even the suffix is disclosed
    try {
        anonymous.search("dc=example,dc=org", "(objectClass=*)", {"1.1"});
        ADD_FAILURE() << "anonymous could search the suffix";
    } catch (const ldap_admin_error& e) {
        EXPECT_EQ(e.code(), no_such_object);
    }
    EXPECT_TRUE(anonymous.can_bind(user_dn("acl-anon"), user_password));
}

// --- ppolicy: deactivation and passwords, driven by the service account ----------------------

TEST_F(SlapdFixturePpolicy, AdministrativeLockRefusesBinds) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("pp-locked")), 0);
    ASSERT_TRUE(s.can_bind(user_dn("pp-locked"), user_password));
    EXPECT_EQ(result_of(s, "dn: " + user_dn("pp-locked") +
                               "\nchangetype: modify\nreplace: pwdAccountLockedTime\n"
                               "pwdAccountLockedTime: 000001010000Z\n"),
              0);
    EXPECT_FALSE(s.can_bind(user_dn("pp-locked"), user_password));
}

TEST_F(SlapdFixturePpolicy, RemovingTheLockRestoresBinds) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("pp-unlocked") + "pwdAccountLockedTime: 000001010000Z\n"), 0);
    ASSERT_FALSE(s.can_bind(user_dn("pp-unlocked"), user_password));
    EXPECT_EQ(result_of(s, "dn: " + user_dn("pp-unlocked") +
                               "\nchangetype: modify\ndelete: pwdAccountLockedTime\n"),
              0);
    EXPECT_TRUE(s.can_bind(user_dn("pp-unlocked"), user_password));
}

TEST_F(SlapdFixturePpolicy, PasswordModifyByServiceSetsAUsablePassword) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("pp-passwd")), 0);
    s.password_modify(user_dn("pp-passwd"), "new-secret");
    EXPECT_TRUE(s.can_bind(user_dn("pp-passwd"), "new-secret"));
    EXPECT_FALSE(s.can_bind(user_dn("pp-passwd"), user_password));
    const auto stored = admin().read(user_dn("pp-passwd"), {"userPassword"});
    EXPECT_EQ(attribute_values(*stored, "userPassword").at(0).rfind("{SSHA}", 0), 0u);
}

TEST_F(SlapdFixturePpolicy, CleartextPasswordsAreStoredHashed) {
    ASSERT_EQ(result_of(*std::make_unique<ldap_admin>(slapd(), slapd_launcher::service_dn,
                                                      slapd_launcher::service_password),
                        user_ldif("pp-hashed")),
              0);
    const auto stored = admin().read(user_dn("pp-hashed"), {"userPassword"});
    EXPECT_EQ(attribute_values(*stored, "userPassword").at(0).rfind("{SSHA}", 0), 0u);
}

TEST_F(SlapdFixturePpolicy, FailedBindsNeverLockAnAccount) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("pp-retry")), 0);
    for (int i = 0; i < 6; ++i) {
        ASSERT_FALSE(s.can_bind(user_dn("pp-retry"), "wrong"));
    }
    EXPECT_TRUE(s.can_bind(user_dn("pp-retry"), user_password));
}

// --- groups: memberof, refint, unique -------------------------------------------------------

TEST_F(SlapdFixtureGroups, MemberOfAppearsOnAUserAddedToAGroup) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("gr-member")), 0);
    ASSERT_EQ(result_of(s, "dn: cn=gr-team," + std::string(groups) +
                               "\nobjectClass: groupOfNames\ncn: gr-team\nmember: " +
                               user_dn("gr-member") + "\n"),
              0);
    EXPECT_TRUE(has_value(s.read(user_dn("gr-member"), {"memberOf"}), "memberOf",
                          "cn=gr-team," + std::string(groups)));
}

TEST_F(SlapdFixtureGroups, DeletingAUserRemovesItFromItsGroups) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("gr-leaver") + "\n" + user_ldif("gr-stayer")), 0);
    const std::string group = "cn=gr-leavers," + std::string(groups);
    ASSERT_EQ(
        result_of(s, "dn: " + group + "\nobjectClass: groupOfNames\ncn: gr-leavers\nmember: " +
                         user_dn("gr-leaver") + "\nmember: " + user_dn("gr-stayer") + "\n"),
        0);
    ASSERT_EQ(result_of(s, "dn: " + user_dn("gr-leaver") + "\nchangetype: delete\n"), 0);
    EXPECT_TRUE(eventually([&] {
        return !has_value(admin().read(group, {"member"}), "member", user_dn("gr-leaver"));
    }));
    EXPECT_TRUE(has_value(admin().read(group, {"member"}), "member", user_dn("gr-stayer")));
}

TEST_F(SlapdFixtureGroups, RenamingAUserKeepsItAMemberUnderTheNewDn) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("gr-old")), 0);
    const std::string group = "cn=gr-renames," + std::string(groups);
    ASSERT_EQ(
        result_of(s, "dn: " + group + "\nobjectClass: groupOfNames\ncn: gr-renames\nmember: " +
                         user_dn("gr-old") + "\n"),
        0);
    ASSERT_EQ(result_of(s, "dn: " + user_dn("gr-old") +
                               "\nchangetype: modrdn\nnewrdn: uid=gr-new\ndeleteoldrdn: 1\n"),
              0);
    EXPECT_TRUE(eventually([&] {
        const auto g = admin().read(group, {"member"});
        return has_value(g, "member", user_dn("gr-new")) &&
               !has_value(g, "member", user_dn("gr-old"));
    }));
    EXPECT_TRUE(has_value(admin().read(user_dn("gr-new"), {"memberOf"}), "memberOf", group));
}

TEST_F(SlapdFixtureGroups, DeletedMemberLeavesItsGroupsButNotAsTheirLastMember) {
    // Without refint (the default) memberof-refint removes a deleted entry from its groups, but
    // cannot take the last member out of a groupOfNames: the bridge does that itself, putting
    // the placeholder in, before it deletes a user (docs/operations.md).
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("gr-one")), 0);
    ASSERT_EQ(result_of(s, user_ldif("gr-two")), 0);
    const std::string pair = "cn=gr-pair," + std::string(groups);
    const std::string solo = "cn=gr-solo," + std::string(groups);
    ASSERT_EQ(result_of(s, "dn: " + pair + "\nobjectClass: groupOfNames\ncn: gr-pair\nmember: " +
                               user_dn("gr-one") + "\nmember: " + user_dn("gr-two") + "\n"),
              0);
    ASSERT_EQ(result_of(s, "dn: " + solo + "\nobjectClass: groupOfNames\ncn: gr-solo\nmember: " +
                               user_dn("gr-one") + "\n"),
              0);
    ASSERT_EQ(result_of(s, "dn: " + user_dn("gr-one") + "\nchangetype: delete\n"), 0);
    EXPECT_EQ(attribute_values(*admin().read(pair, {"member"}), "member"),
              std::vector<std::string>{user_dn("gr-two")});
    EXPECT_EQ(attribute_values(*admin().read(solo, {"member"}), "member"),
              std::vector<std::string>{user_dn("gr-one")});
}

TEST(SlapdFixtureRefint, WithRefintThePlaceholderKeepsAGroupValidWhenItsLastMemberIsDeleted) {
    // `scim-ldap-devslapd --refint`: the configuration many directories run, for benchmarks.
    slapd_options options;
    options.with_refint = true;
    slapd_launcher slapd(options);
    slapd.start();
    ldap_admin s(slapd, slapd_launcher::service_dn, slapd_launcher::service_password);
    ASSERT_EQ(result_of(s, user_ldif("gr-last")), 0);
    const std::string group = "cn=gr-emptied," + std::string(groups);
    ASSERT_EQ(
        result_of(s, "dn: " + group + "\nobjectClass: groupOfNames\ncn: gr-emptied\nmember: " +
                         user_dn("gr-last") + "\n"),
        0);
    ASSERT_EQ(result_of(s, "dn: " + user_dn("gr-last") + "\nchangetype: delete\n"), 0);
    EXPECT_TRUE(eventually([&] {
        const auto g = ldap_admin(slapd).read(group, {"member"});
        return g && attribute_values(*g, "member") == std::vector<std::string>{placeholder};
    }));
}

TEST_F(SlapdFixtureGroups, UidIsUniqueWithinATenantsPeopleOnly) {
    auto s = service();
    ASSERT_EQ(result_of(s, user_ldif("gr-twin")), 0);
    constexpr int constraint_violation = 19;
    EXPECT_EQ(
        result_of(s, "dn: cn=gr-twin-2," + std::string(people) +
                         "\nobjectClass: inetOrgPerson\ncn: gr-twin-2\nsn: x\nuid: gr-twin\n"),
        constraint_violation);
    EXPECT_EQ(result_of(s, user_ldif("gr-twin", "ou=People,ou=classlark,dc=example,dc=org")), 0);
}

// --- the server as a whole -------------------------------------------------------------------

TEST_F(SlapdFixtureServer, RootDseAdvertisesWhatTheBridgeUses) {
    const auto root = service().read("", {"supportedControl", "supportedExtension"});
    ASSERT_TRUE(root);
    const auto controls = attribute_values(*root, "supportedControl");
    for (const char* oid :
         {"1.3.6.1.1.12", "1.2.840.113556.1.4.319", "1.2.840.113556.1.4.473",
          "2.16.840.1.113730.3.4.9", "1.3.6.1.4.1.4203.666.5.16", "1.3.6.1.1.13.2"}) {
        EXPECT_NE(std::find(controls.begin(), controls.end(), oid), controls.end()) << oid;
    }
    const auto extensions = attribute_values(*root, "supportedExtension");
    for (const char* oid : {"1.3.6.1.1.21.1", "1.3.6.1.1.21.3", "1.3.6.1.4.1.4203.1.11.1"}) {
        EXPECT_NE(std::find(extensions.begin(), extensions.end(), oid), extensions.end()) << oid;
    }
}

TEST_F(SlapdFixtureServer, ServiceSearchesAreCappedAtTheDefaultSizeLimit) {
    std::string ldif;
    for (int i = 0; i < 501; ++i) {
        ldif += "dn: cn=limit-" + std::to_string(i) + "," + people +
                "\nobjectClass: person\ncn: limit-" + std::to_string(i) + "\nsn: x\n\n";
    }
    admin().apply_ldif(ldif);
    constexpr int size_limit_exceeded = 4;
    try {
        service().search(people, "(cn=limit-*)", {"1.1"});
        ADD_FAILURE() << "a 501-entry search as the service account was not capped";
    } catch (const ldap_admin_error& e) {
        EXPECT_EQ(e.code(), size_limit_exceeded);
    }
    EXPECT_EQ(admin().search(people, "(cn=limit-*)", {"1.1"}).size(), 501u);
}

TEST_F(SlapdFixtureServer, StopThenStartKeepsDataAndPort) {
    ASSERT_EQ(result_of(*std::make_unique<ldap_admin>(slapd()), user_ldif("srv-durable")), 0);
    const auto port = slapd().port();
    slapd().stop();
    EXPECT_FALSE(slapd().running());
    EXPECT_THROW(admin(), ldap_admin_error);
    slapd().start();
    EXPECT_EQ(slapd().port(), port);
    EXPECT_TRUE(admin().read(user_dn("srv-durable"), {"uid"}));
}

}  // namespace
