// The PATCH engine's split around a group's members (mapping/patch.hpp, split_patch): member
// operations composed into a delta or a replacement without reading the members, the rest left
// for apply_patch, and what needs the member values. Semantics: docs/mapping.md, "Groups".
#include "mapping/patch.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using ids = std::vector<std::string>;

const resource_profile& groups() {
    static const auto p = *load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                         "mapping/profiles/openldap-inetorgperson.json")
                                            .string());
    return p->group;
}

scim::result<patch_split> try_split(const std::string& operations) {
    const auto body = json::parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
        operations + "}");
    auto ops = parse_patch_request(body);
    EXPECT_TRUE(ops) << operations;
    return split_patch(groups(), *ops, "members");
}

patch_split split(const std::string& operations) {
    auto out = try_split(operations);
    EXPECT_TRUE(out) << operations << ": " << (out ? "" : out.error().detail);
    return out ? std::move(*out) : patch_split{};
}

TEST(PatchSplit, AddListIsADelta) {
    const auto p = split(
        R"([{"op":"add","path":"members","value":[{"value":"a","display":"x"},{"$ref":null,"value":"b"}]}])");
    EXPECT_FALSE(p.deferred.is_replacement());
    EXPECT_EQ(p.deferred.added(), (ids{"a", "b"}));
    EXPECT_TRUE(p.deferred.removed().empty());
    EXPECT_TRUE(p.others.empty());
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, MemberObjectsAsIdpsSendThemAreIds) {
    // Okta: display; Entra: $ref null; Entra's reference Postman collection: displayName and a
    // bare id; type as GET shows it.
    const auto p = split(R"([{"op":"add","path":"members","value":[
                                {"value":"a","display":"x"},{"$ref":null,"value":"b"},
                                {"displayName":"new User","value":"c"},
                                {"value":"d","type":"User","$ref":"https://x/Users/d"}]},
                             {"op":"add","path":"members","value":"e"}])");
    EXPECT_EQ(p.deferred.added(), (ids{"a", "b", "c", "d", "e"}));
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, EmptyElementsAddNothing) {
    const auto p = split(R"([{"op":"add","path":"members","value":["",{},{"value":""}]}])");
    EXPECT_FALSE(p.deferred.untouched());
    EXPECT_TRUE(p.deferred.added().empty());
}

TEST(PatchSplit, RemoveByValueFilterIsADelta) {
    const auto p = split(R"([{"op":"remove","path":"members[value eq \"a\"]"}])");
    EXPECT_EQ(p.deferred.removed(), ids{"a"});
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, OrOfValueFiltersRemovesEachNamed) {
    const auto p = split(R"([{"op":"remove","path":"members[value eq \"a\" or value eq \"b\"]"}])");
    EXPECT_EQ(p.deferred.removed(), (ids{"a", "b"}));
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, EntraRemoveWithValueListRemovesOnlyThose) {
    const auto p =
        split(R"([{"op":"Remove","path":"members","value":[{"value":"a"},{"value":"b"}]}])");
    EXPECT_FALSE(p.deferred.is_replacement());
    EXPECT_EQ(p.deferred.removed(), (ids{"a", "b"}));
}

TEST(PatchSplit, RemoveWithoutValueAndReplaceEmptyEmptyTheGroup) {
    for (const char* ops : {R"([{"op":"remove","path":"members"}])",
                            R"([{"op":"remove","path":"members","value":[]}])",
                            R"([{"op":"replace","path":"members","value":[]}])",
                            R"([{"op":"replace","path":"members","value":null}])"}) {
        const auto p = split(ops);
        EXPECT_TRUE(p.deferred.is_replacement()) << ops;
        EXPECT_TRUE(p.deferred.added().empty()) << ops;
        EXPECT_FALSE(p.needs_values) << ops;
    }
}

TEST(PatchSplit, ReplaceIsTheWholeList) {
    const auto p = split(
        R"([{"op":"replace","path":"members","value":[{"value":"a"},{"value":"b"},{"value":"A"}]}])");
    EXPECT_TRUE(p.deferred.is_replacement());
    EXPECT_EQ(p.deferred.added(), (ids{"a", "b"}));
}

TEST(PatchSplit, OperationsComposeInOrder) {
    // Okta: remove one, add another; a later add cancels an earlier remove and vice versa.
    const auto p = split(R"([{"op":"remove","path":"members[value eq \"a\"]"},
                             {"op":"add","path":"members","value":[{"value":"b"},{"value":"c"}]},
                             {"op":"remove","path":"members[value eq \"c\"]"},
                             {"op":"add","path":"members","value":[{"value":"A"}]}])");
    EXPECT_EQ(p.deferred.added(), (ids{"b", "A"}));
    EXPECT_EQ(p.deferred.removed(), ids{"c"});
}

TEST(PatchSplit, ReplaceThenAddIsAReplacement) {
    const auto p = split(R"([{"op":"replace","path":"members","value":[{"value":"a"}]},
                             {"op":"add","path":"members","value":[{"value":"b"}]},
                             {"op":"remove","path":"members[value eq \"a\"]"}])");
    EXPECT_TRUE(p.deferred.is_replacement());
    EXPECT_EQ(p.deferred.added(), ids{"b"});
}

TEST(PatchSplit, OktaRenameGoesToTheOthersUntouched) {
    const auto p = split(R"([{"op":"replace","value":{"id":"g1","displayName":"New"}}])");
    EXPECT_TRUE(p.deferred.untouched());
    ASSERT_EQ(p.others.size(), 1u);
    EXPECT_EQ(p.others[0].value->at("displayName").as_string(), "New");
    EXPECT_EQ(p.others[0].value->as_object().size(), 2u);
}

TEST(PatchSplit, NoPathValueWithMembersIsSplit) {
    const auto p = split(R"([{"op":"add","value":{"displayName":"N","members":[{"value":"a"}]}}])");
    EXPECT_EQ(p.deferred.added(), ids{"a"});
    EXPECT_FALSE(p.deferred.is_replacement());
    ASSERT_EQ(p.others.size(), 1u);
    EXPECT_FALSE(p.others[0].value->as_object().contains("members"));
    EXPECT_EQ(p.others[0].value->at("displayName").as_string(), "N");
}

TEST(PatchSplit, NoPathReplaceOfMembersAloneIsDropped) {
    const auto p = split(R"([{"op":"replace","value":{"Members":[{"value":"a"}]}}])");
    EXPECT_TRUE(p.deferred.is_replacement());
    EXPECT_EQ(p.deferred.added(), ids{"a"});
    EXPECT_TRUE(p.others.empty());
}

TEST(PatchSplit, UrnQualifiedMembersAreTheMembers) {
    const auto p = split(R"([{"op":"add","value":{
                                "urn:ietf:params:scim:schemas:core:2.0:Group:members":[{"value":"a"}]}},
                             {"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:Group:members",
                              "value":[{"value":"b"}]}])");
    EXPECT_EQ(p.deferred.added(), (ids{"a", "b"}));
    EXPECT_TRUE(p.others.empty());
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, OtherPathsGoToTheOthers) {
    const auto p = split(R"([{"op":"replace","path":"displayName","value":"N"},
                             {"op":"replace","path":"nickName","value":"x"}])");
    EXPECT_TRUE(p.deferred.untouched());
    ASSERT_EQ(p.others.size(), 2u);  // nickName: apply_patch reports it
    EXPECT_EQ(p.others[1].path_text, "nickName");
    EXPECT_FALSE(p.needs_values);
}

TEST(PatchSplit, OtherMemberFiltersNeedTheValues) {
    EXPECT_TRUE(split(R"([{"op":"remove","path":"members[display co \"x\"]"}])").needs_values);
    EXPECT_TRUE(
        split(R"([{"op":"replace","path":"members[value eq \"a\"]","value":{"value":"b"}}])")
            .needs_values);
    EXPECT_TRUE(split(R"([{"op":"add","path":"members[value eq \"a\"]","value":{"value":"a"}}])")
                    .needs_values);
}

TEST(PatchSplit, SubAttributePathsNeedTheValues) {
    EXPECT_TRUE(split(R"([{"op":"remove","path":"members[value eq \"a\"].value"}])").needs_values);
    // Invalid as a path (no filter): the engine reports it, on the group with its members.
    EXPECT_TRUE(split(R"([{"op":"replace","path":"members.value","value":"a"}])").needs_values);
}

void expect_invalid_value(const std::string& operations, const std::string& detail_part) {
    const auto out = try_split(operations);
    ASSERT_FALSE(out) << operations;
    EXPECT_EQ(out.error().code, scim::errc::invalid_value) << operations;
    EXPECT_NE(out.error().detail.find("Operations[1]"), std::string::npos) << out.error().detail;
    EXPECT_NE(out.error().detail.find(detail_part), std::string::npos) << out.error().detail;
}

TEST(PatchSplit, NonIdMemberValuesAre400NamingTheOperation) {
    const std::string first = R"([{"op":"replace","path":"displayName","value":"N"},)";
    expect_invalid_value(first + R"({"op":"add","path":"members","value":[42]}])", "members");
    expect_invalid_value(first + R"({"op":"add","path":"members","value":[{"value":true}]}])",
                         "members.value");
    expect_invalid_value(first + R"({"op":"add","path":"members","value":[{"display":"x"}]}])",
                         "'members' values need a \"value\"");
    expect_invalid_value(first + R"({"op":"add","value":{"members":[{"type":"User"}]}}])",
                         "'members' values need a \"value\"");
    // Unknown keys in member objects are refused as for any other attribute.
    expect_invalid_value(first + R"({"op":"add","path":"members","value":[{"value":"a","x":1}]}])",
                         "no sub-attribute \"x\"");
}

TEST(ReferenceIds, ABodyValueIsNormalisedAsPatchValuesAre) {
    const auto v = json::parse(R"([{"value":"a","display":"VP"},"b",{"$ref":null,"value":"c"}])");
    auto got = reference_ids(groups(), "members", v);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, (ids{"a", "b", "c"}));
    auto none = reference_ids(groups(), "members", json::value());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

TEST(ReferenceIds, AnElementWithoutIdIs400) {
    auto got = reference_ids(groups(), "members", json::parse(R"([{"display":"VP"}])"));
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, scim::errc::invalid_value);
    EXPECT_EQ(got.error().detail, "'members' values need a \"value\" (the member's id)");
}

}  // namespace
}  // namespace scimldap::mapping
