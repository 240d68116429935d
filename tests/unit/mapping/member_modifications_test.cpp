// Group membership as value-level LDAP changes (pure parts): the modifications a members delta
// or a new list becomes and the placeholder. How PATCH operations become that delta is in
// patch_split_test.cpp; the LDAP side is in tests/integration/groups_test.cpp.
#include "mapping/member_modifications.hpp"
#include "base/escape.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace scimldap::mapping {
namespace {

using ldap::mod_op;

const mapping::resource_profile& groups() {
    static const auto p = *mapping::load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                                  "mapping/profiles/openldap-inetorgperson.json")
                                                     .string());
    return p->group;
}

const mapping::members_settings& members() {
    return *groups().members;
}

const ldap::dn a{"uid=a,ou=People,dc=example,dc=org"};
const ldap::dn b{"uid=b,ou=People,dc=example,dc=org"};

std::string norm(const ldap::dn& d) {
    return ldap::normalize_dn(d);
}

TEST(GroupMembersModify, AddOfAnAbsentMemberIsOneValueAdd) {
    const auto mods = delta_modifications(members(), {a}, {}, {});
    ASSERT_EQ(mods.size(), 1u);
    EXPECT_EQ(mods[0].op, mod_op::add);
    EXPECT_EQ(mods[0].values, std::vector<std::string>{a.str()});
}

TEST(GroupMembersModify, PresentAddsAndAbsentRemovesAreDropped) {
    EXPECT_TRUE(delta_modifications(members(), {a}, {b}, {norm(a)}).empty());
}

TEST(GroupMembersModify, FirstRealMemberTakesThePlaceholderOut) {
    const auto mods = delta_modifications(members(), {a}, {}, {norm(members().placeholder_dn)});
    ASSERT_EQ(mods.size(), 2u);
    EXPECT_EQ(mods[0].op, mod_op::add);
    EXPECT_EQ(mods[1].op, mod_op::remove);
    EXPECT_EQ(mods[1].values, std::vector<std::string>{members().placeholder_dn.str()});
}

TEST(GroupMembersModify, ReplacementSendsOnlyTheChangedValues) {
    const std::vector<std::string> current{a.str(), "uid=c,ou=People,dc=example,dc=org"};
    const auto mods = replacement_modifications(members(), current, {a, b});
    ASSERT_EQ(mods.size(), 2u);
    EXPECT_EQ(mods[0].op, mod_op::add);
    EXPECT_EQ(mods[0].values, std::vector<std::string>{b.str()});
    EXPECT_EQ(mods[1].op, mod_op::remove);
    EXPECT_EQ(mods[1].values, std::vector<std::string>{"uid=c,ou=People,dc=example,dc=org"});
}

TEST(GroupMembersModify, EmptyReplacementIsThePlaceholderAlone) {
    const auto mods = replacement_modifications(members(), {}, {});
    ASSERT_EQ(mods.size(), 1u);
    EXPECT_EQ(mods[0].op, mod_op::replace);
    EXPECT_EQ(mods[0].values, std::vector<std::string>{members().placeholder_dn.str()});
}

TEST(GroupMembersModify, NamedValuesFilterKeepsOtherAttributesWhole) {
    EXPECT_EQ(named_values_filter("member", {ldap::dn("cn=x(1),o=y")}, {"entryUUID", "member"}),
              "((member=cn=x\\281\\29,o=y)(entryUUID=*))");
}

}  // namespace
}  // namespace scimldap::mapping
