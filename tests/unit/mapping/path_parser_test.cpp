#include "mapping/filter_parser.hpp"

#include <gtest/gtest.h>

namespace scimldap::mapping {
namespace {

constexpr std::string_view enterprise =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr std::string_view core_user = "urn:ietf:params:scim:schemas:core:2.0:User";

patch_path parsed(std::string_view text) {
    auto result = parse_path(text);
    EXPECT_TRUE(result.has_value())
        << text << ": " << (result.has_error() ? result.error().message : "");
    return result.has_value() ? *result : patch_path{};
}

parse_error failed(std::string_view text) {
    auto result = parse_path(text);
    EXPECT_TRUE(result.has_error()) << text << " parsed but should not";
    return result.has_error() ? result.error() : parse_error{};
}

TEST(PathParser, SimpleAttribute) {
    const auto path = parsed("userName");
    EXPECT_EQ(path.attribute, (attr_path{"", "userName", ""}));
    EXPECT_FALSE(path.value_filter);
    EXPECT_EQ(path.sub_attribute, "");
}

TEST(PathParser, SubAttribute) {
    const auto path = parsed("name.givenName");
    EXPECT_EQ(path.attribute, (attr_path{"", "name", "givenName"}));
    EXPECT_FALSE(path.value_filter);
}

TEST(PathParser, EnterpriseUrnAttribute) {
    const auto path = parsed("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager");
    EXPECT_EQ(path.attribute, (attr_path{std::string(enterprise), "manager", ""}));
}

TEST(PathParser, EnterpriseUrnAttributeWithSubAttribute) {
    const auto path =
        parsed("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
    EXPECT_EQ(path.attribute, (attr_path{std::string(enterprise), "manager", "value"}));
}

TEST(PathParser, EnterpriseEmployeeNumber) {
    const auto path =
        parsed("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber");
    EXPECT_EQ(path.attribute, (attr_path{std::string(enterprise), "employeeNumber", ""}));
}

TEST(PathParser, CoreUrnWithDottedVersionAndSubAttribute) {
    const auto path = parsed("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName");
    EXPECT_EQ(path.attribute, (attr_path{std::string(core_user), "name", "familyName"}));
}

TEST(PathParser, ValuePathMembers) {
    const auto path = parsed(R"(members[value eq "2819c223"])");
    EXPECT_EQ(path.attribute, (attr_path{"", "members", ""}));
    ASSERT_TRUE(path.value_filter);
    EXPECT_EQ(path.value_filter->type, filter_node::kind::compare);
    EXPECT_EQ(path.value_filter->path, (attr_path{"", "value", ""}));
    EXPECT_EQ(path.value_filter->op, compare_op::eq);
    EXPECT_EQ(path.value_filter->value, literal(std::string("2819c223")));
    EXPECT_EQ(path.sub_attribute, "");
}

TEST(PathParser, ValuePathWithSubAttribute) {
    const auto path = parsed(R"(emails[type eq "work"].value)");
    EXPECT_EQ(path.attribute, (attr_path{"", "emails", ""}));
    ASSERT_TRUE(path.value_filter);
    EXPECT_EQ(to_string(*path.value_filter), R"(type eq "work")");
    EXPECT_EQ(path.sub_attribute, "value");
}

TEST(PathParser, AddressesStreetAddress) {
    const auto path = parsed(R"(addresses[type eq "work"].streetAddress)");
    EXPECT_EQ(path.attribute.name, "addresses");
    EXPECT_EQ(path.sub_attribute, "streetAddress");
    ASSERT_TRUE(path.value_filter);
    EXPECT_EQ(to_string(*path.value_filter), R"(type eq "work")");
}

TEST(PathParser, ValueFilterWithLogicalOperators) {
    const auto path =
        parsed(R"(emails[type eq "work" and (value co "@x.org" or primary eq true)])");
    ASSERT_TRUE(path.value_filter);
    EXPECT_EQ(path.value_filter->type, filter_node::kind::and_);
    EXPECT_EQ(to_string(*path.value_filter),
              R"(type eq "work" and (value co "@x.org" or primary eq true))");
}

TEST(PathParser, RefSubAttribute) {
    const auto path = parsed("manager.$ref");
    EXPECT_EQ(path.attribute, (attr_path{"", "manager", "$ref"}));
}

TEST(PathParser, SurroundingSpacesAreTolerated) {
    const auto path = parsed("  name.givenName ");
    EXPECT_EQ(path.attribute, (attr_path{"", "name", "givenName"}));
}

TEST(PathParser, EmptyPathIsRejectedAtZero) {
    const auto error = failed("");
    EXPECT_EQ(error.position, 0u);
    EXPECT_NE(error.message.find("expected an attribute path at position 0"), std::string::npos)
        << error.message;
}

TEST(PathParser, TwoSubAttributesAreRejected) {
    const auto error = failed("name.givenName.x");
    EXPECT_EQ(error.position, 5u);
    EXPECT_NE(error.message.find("invalid sub-attribute name \"givenName.x\""), std::string::npos)
        << error.message;
}

TEST(PathParser, NameStartingWithDigitIsRejected) {
    const auto error = failed("2name");
    EXPECT_EQ(error.position, 0u);
}

TEST(PathParser, UrnWithoutAttributeNameIsRejected) {
    // The part after the last ':' is "2.0": not an attribute name.
    const auto error = failed("urn:ietf:params:scim:schemas:core:2.0");
    EXPECT_EQ(error.position, 34u);
    EXPECT_NE(error.message.find("invalid attribute name \"2\""), std::string::npos)
        << error.message;
}

TEST(PathParser, TrailingColonIsRejected) {
    const auto error = failed("urn:x:");
    EXPECT_EQ(error.position, 6u);
}

TEST(PathParser, UnclosedBracketIsRejected) {
    const auto error = failed(R"(members[value eq "1")");
    EXPECT_EQ(error.position, 20u);
    EXPECT_NE(error.message.find("\"]\""), std::string::npos) << error.message;
}

TEST(PathParser, EmptyBracketIsRejected) {
    const auto error = failed("members[]");
    EXPECT_EQ(error.position, 8u);
}

TEST(PathParser, BracketAfterSubAttributeIsRejected) {
    const auto error = failed(R"(emails.value[type eq "work"])");
    EXPECT_EQ(error.position, 12u);
}

TEST(PathParser, NestedValueFilterIsRejected) {
    const auto error = failed(R"(members[value[x eq 1] pr])");
    EXPECT_EQ(error.position, 13u);
    EXPECT_NE(error.message.find("nested"), std::string::npos) << error.message;
}

TEST(PathParser, GarbageAfterPathIsRejected) {
    const auto error = failed(R"(emails[type eq "work"].value x)");
    EXPECT_EQ(error.position, 29u);
}

TEST(PathParser, SecondSubAttributeAfterBracketIsRejected) {
    const auto error = failed(R"(emails[type eq "work"].value.x)");
    EXPECT_EQ(error.position, 23u);
}

TEST(PathParser, SpaceInsideNameIsRejected) {
    const auto error = failed("user Name");
    EXPECT_EQ(error.position, 5u);
}

TEST(PathParser, TooLongPathIsRejected) {
    parse_limits limits;
    limits.max_length = 10;
    const auto result = parse_path("abcdefghijk", limits);
    ASSERT_TRUE(result.has_error());
    EXPECT_EQ(result.error().position, 10u);
}

TEST(PathParser, ValueFilterDepthCountsTheBracket) {
    parse_limits limits;
    limits.max_depth = 1;
    EXPECT_TRUE(parse_path(R"(emails[type eq "work"])", limits).has_value());
    const auto result = parse_path(R"(emails[(type eq "work")])", limits);
    ASSERT_TRUE(result.has_error());
    EXPECT_EQ(result.error().position, 7u);
}

}  // namespace
}  // namespace scimldap::mapping
