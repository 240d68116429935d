// Group membership as value-level changes (pure parts): PATCH member operations composed into a
// delta or a replacement, the LDAP modifications they become, the placeholder, and the
// members.value filter translation. The LDAP side is in tests/integration/groups_test.cpp.
#include "mapping/member_changes.hpp"
#include "base/escape.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/filter_translate.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
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

group_patch split(const std::string& operations) {
    const auto body = json::parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
        operations + "}");
    auto ops = mapping::parse_patch_request(body);
    EXPECT_TRUE(ops) << operations;
    auto out = split_member_operations(groups(), *ops);
    EXPECT_TRUE(out) << operations;
    return std::move(*out);
}

using ids = std::vector<std::string>;

TEST(GroupMembersSplit, AddListIsADelta) {
    const auto p = split(
        R"([{"op":"add","path":"members","value":[{"value":"a","display":"x"},{"$ref":null,"value":"b"}]}])");
    EXPECT_FALSE(p.members.is_replacement());
    EXPECT_EQ(p.members.added(), (ids{"a", "b"}));
    EXPECT_TRUE(p.members.removed().empty());
    EXPECT_TRUE(p.others.empty());
    EXPECT_FALSE(p.needs_engine);
}

TEST(GroupMembersSplit, RemoveByValueFilterIsADelta) {
    const auto p = split(R"([{"op":"remove","path":"members[value eq \"a\"]"}])");
    EXPECT_EQ(p.members.removed(), ids{"a"});
    EXPECT_FALSE(p.needs_engine);
}

TEST(GroupMembersSplit, EntraRemoveWithValueListRemovesOnlyThose) {
    const auto p =
        split(R"([{"op":"Remove","path":"members","value":[{"value":"a"},{"value":"b"}]}])");
    EXPECT_FALSE(p.members.is_replacement());
    EXPECT_EQ(p.members.removed(), (ids{"a", "b"}));
}

TEST(GroupMembersSplit, RemoveWithoutValueAndReplaceEmptyEmptyTheGroup) {
    for (const char* ops : {R"([{"op":"remove","path":"members"}])",
                            R"([{"op":"replace","path":"members","value":[]}])"}) {
        const auto p = split(ops);
        EXPECT_TRUE(p.members.is_replacement()) << ops;
        EXPECT_TRUE(p.members.added().empty()) << ops;
    }
}

TEST(GroupMembersSplit, OperationsComposeInOrder) {
    // Okta: remove one, add another; a later add cancels an earlier remove and vice versa.
    const auto p = split(R"([{"op":"remove","path":"members[value eq \"a\"]"},
                             {"op":"add","path":"members","value":[{"value":"b"},{"value":"c"}]},
                             {"op":"remove","path":"members[value eq \"c\"]"},
                             {"op":"add","path":"members","value":[{"value":"A"}]}])");
    EXPECT_EQ(p.members.added(), (ids{"b", "A"}));
    EXPECT_EQ(p.members.removed(), ids{"c"});
}

TEST(GroupMembersSplit, ReplaceThenAddIsAReplacement) {
    const auto p = split(R"([{"op":"replace","path":"members","value":[{"value":"a"}]},
                             {"op":"add","path":"members","value":[{"value":"b"}]},
                             {"op":"remove","path":"members[value eq \"a\"]"}])");
    EXPECT_TRUE(p.members.is_replacement());
    EXPECT_EQ(p.members.added(), ids{"b"});
}

TEST(GroupMembersSplit, OktaRenameGoesToTheEngineUntouched) {
    const auto p = split(R"([{"op":"replace","value":{"id":"g1","displayName":"New"}}])");
    EXPECT_TRUE(p.members.untouched());
    ASSERT_EQ(p.others.size(), 1u);
    EXPECT_EQ(p.others[0].value->at("displayName").as_string(), "New");
}

TEST(GroupMembersSplit, NoPathValueWithMembersIsSplit) {
    const auto p = split(R"([{"op":"add","value":{"displayName":"N","members":[{"value":"a"}]}}])");
    EXPECT_EQ(p.members.added(), ids{"a"});
    ASSERT_EQ(p.others.size(), 1u);
    EXPECT_FALSE(p.others[0].value->as_object().contains("members"));
}

TEST(GroupMembersSplit, OtherMemberFiltersNeedTheEngine) {
    EXPECT_TRUE(split(R"([{"op":"remove","path":"members[display co \"x\"]"}])").needs_engine);
    EXPECT_TRUE(
        split(R"([{"op":"replace","path":"members[value eq \"a\"]","value":{"value":"b"}}])")
            .needs_engine);
}

TEST(GroupMembersSplit, NonIdMemberValuesAre400) {
    const auto body = json::parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[42]}]})");
    auto ops = mapping::parse_patch_request(body);
    ASSERT_TRUE(ops);
    auto out = split_member_operations(groups(), *ops);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, scim::errc::invalid_value);
    EXPECT_NE(out.error().detail.find("Operations[0]"), std::string::npos);
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

TEST(GroupMembersFilter, MembersValueEqBecomesTheMemberDn) {
    auto parsed = mapping::parse_filter(R"(members.value eq "ABC" or members eq "zzz")");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(mapping::reference_filter_ids(groups(), *parsed), (ids{"ABC", "zzz"}));
    const mapping::reference_dns found{{"abc", ldap::dn("uid=a,o=x")}};
    auto f = mapping::translate_filter(groups(), *parsed, found);
    ASSERT_TRUE(f);
    // The unknown id matches nothing, so it drops out of the disjunction.
    EXPECT_EQ(f->str(), "(&(objectClass=groupOfNames)(member=uid=a,o=x))");
}

TEST(GroupMembersFilter, MembersPresentIgnoresThePlaceholder) {
    auto parsed = mapping::parse_filter("members pr");
    ASSERT_TRUE(parsed);
    const mapping::reference_dns none;
    auto f = mapping::translate_filter(groups(), *parsed, none);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->str(),
              "(&(objectClass=groupOfNames)(&(member=*)(!(member=cn=empty-membership-"
              "placeholder,dc=example,dc=org))))");
}

}  // namespace
}  // namespace scimldap::mapping
