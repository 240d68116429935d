// SCIM's comparison operators on strings (mapping/string_compare.hpp, RFC 7644 §3.4.2.2).
#include "mapping/string_compare.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace scimldap::mapping {
namespace {

constexpr bool exact = true;
constexpr bool ignore_case = false;

bool holds(compare_op op, std::string_view have, std::string_view want, bool case_exact) {
    return string_comparison_holds(op, have, want, case_exact);
}

TEST(StringCompare, CaseExactAttributesCompareExactly) {
    EXPECT_TRUE(holds(compare_op::eq, "AbC", "AbC", exact));
    EXPECT_FALSE(holds(compare_op::eq, "AbC", "abc", exact));
    EXPECT_TRUE(holds(compare_op::ne, "AbC", "abc", exact));
}

TEST(StringCompare, EqIgnoresCaseOfCaseInsensitiveAttributes) {
    EXPECT_TRUE(holds(compare_op::eq, "BJensen", "bjensen", ignore_case));
    EXPECT_FALSE(holds(compare_op::ne, "BJensen", "bjensen", ignore_case));
    EXPECT_FALSE(holds(compare_op::eq, "bjensen", "bjensen2", ignore_case));
}

TEST(StringCompare, ContainsIgnoresCaseOfCaseInsensitiveAttributes) {
    EXPECT_TRUE(holds(compare_op::co, "bjensen@Example.COM", "@example.com", ignore_case));
    EXPECT_FALSE(holds(compare_op::co, "bjensen@example.com", "@example.org", ignore_case));
}

TEST(StringCompare, ContainsRespectsCaseOfCaseExactAttributes) {
    EXPECT_TRUE(holds(compare_op::co, "xAbCx", "AbC", exact));
    EXPECT_FALSE(holds(compare_op::co, "xAbCx", "abc", exact));
}

TEST(StringCompare, StartsWithLooksOnlyAtTheStart) {
    EXPECT_TRUE(holds(compare_op::sw, "Barbara", "bar", ignore_case));
    EXPECT_FALSE(holds(compare_op::sw, "Barbara", "bar", exact));
    EXPECT_FALSE(holds(compare_op::sw, "Barbara", "ara", ignore_case));
}

TEST(StringCompare, EndsWithLooksOnlyAtTheEnd) {
    EXPECT_TRUE(holds(compare_op::ew, "Barbara", "ARA", ignore_case));
    EXPECT_FALSE(holds(compare_op::ew, "Barbara", "ARA", exact));
    EXPECT_FALSE(holds(compare_op::ew, "Barbara", "bar", ignore_case));
}

TEST(StringCompare, LiteralLongerThanTheValueIsNoSubstring) {
    for (const auto op : {compare_op::co, compare_op::sw, compare_op::ew}) {
        EXPECT_FALSE(holds(op, "ab", "abc", ignore_case));
        EXPECT_FALSE(holds(op, "", "a", exact));
    }
}

TEST(StringCompare, EveryValueContainsTheEmptyString) {
    for (const auto op : {compare_op::co, compare_op::sw, compare_op::ew}) {
        EXPECT_TRUE(holds(op, "abc", "", ignore_case));
        EXPECT_TRUE(holds(op, "", "", exact));
    }
}

// Which outcomes of comparing a value with a literal satisfy `op`: '<' value below, '=' equal,
// '>' above.
std::string outcomes_that_hold(compare_op op) {
    std::string out;
    for (const auto& [mark, have] : {std::pair{'<', "a"}, {'=', "b"}, {'>', "c"}}) {
        if (holds(op, have, "b", exact)) {
            out += mark;
        }
    }
    return out;
}

TEST(StringCompare, EqAndNeSplitOnEquality) {
    EXPECT_EQ(outcomes_that_hold(compare_op::eq), "=");
    EXPECT_EQ(outcomes_that_hold(compare_op::ne), "<>");
}

TEST(StringCompare, GtIsStrictlyGreater) {
    EXPECT_EQ(outcomes_that_hold(compare_op::gt), ">");
}

TEST(StringCompare, GeIncludesEquality) {
    EXPECT_EQ(outcomes_that_hold(compare_op::ge), "=>");
}

TEST(StringCompare, LtIsStrictlyLess) {
    EXPECT_EQ(outcomes_that_hold(compare_op::lt), "<");
}

TEST(StringCompare, LeIncludesEquality) {
    EXPECT_EQ(outcomes_that_hold(compare_op::le), "<=");
}

TEST(StringCompare, OrderingIgnoresCaseOfCaseInsensitiveAttributes) {
    EXPECT_TRUE(holds(compare_op::lt, "apple", "Banana", ignore_case));
    EXPECT_TRUE(holds(compare_op::ge, "ALICE", "alice", ignore_case));
    EXPECT_FALSE(holds(compare_op::gt, "ALICE", "alice", ignore_case));
}

TEST(StringCompare, OrderingOfCaseExactAttributesPutsUpperCaseFirst) {
    EXPECT_TRUE(holds(compare_op::gt, "apple", "Banana", exact));  // 'a' 0x61 > 'B' 0x42
    EXPECT_TRUE(holds(compare_op::gt, "alice", "ALICE", exact));
}

TEST(StringCompare, IgnoringCaseFoldsToLowerCase) {
    // '_' (0x5F) sits between 'Z' and 'a': it sorts before letters folded to lower case.
    EXPECT_TRUE(holds(compare_op::lt, "_", "A", ignore_case));
    EXPECT_TRUE(holds(compare_op::gt, "_", "A", exact));
}

TEST(StringCompare, APrefixSortsBeforeTheLongerValue) {
    EXPECT_TRUE(holds(compare_op::lt, "ann", "ANNA", ignore_case));
    EXPECT_TRUE(holds(compare_op::gt, "anna", "ann", exact));
}

TEST(StringCompare, Utf8OrdersByCodePointAfterAscii) {
    EXPECT_TRUE(holds(compare_op::gt, "\xc3\x89mile", "zoe", ignore_case));           // É (U+00C9)
    EXPECT_TRUE(holds(compare_op::lt, "\xc3\x89mile", "\xc3\xa9mile", ignore_case));  // É < é
}

TEST(StringCompare, NonAsciiLettersAreNotFolded) {
    EXPECT_FALSE(holds(compare_op::eq, "\xc3\x89mile", "\xc3\xa9mile", ignore_case));  // É, é
}

TEST(ComparisonHolds, ReadsOnlyTheSignOfTheComparison) {
    EXPECT_TRUE(comparison_holds(compare_op::gt, 42));
    EXPECT_TRUE(comparison_holds(compare_op::lt, -7));
    EXPECT_TRUE(comparison_holds(compare_op::ne, -7));
    EXPECT_TRUE(comparison_holds(compare_op::eq, 0));
}

TEST(ComparisonHolds, SubstringOperatorsNeverHold) {
    for (const auto op : {compare_op::co, compare_op::sw, compare_op::ew}) {
        EXPECT_FALSE(comparison_holds(op, 0));
    }
}

}  // namespace
}  // namespace scimldap::mapping
