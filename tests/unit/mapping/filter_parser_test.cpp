#include "mapping/filter_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace scimldap::mapping {
namespace {

using kind = filter_node::kind;

filter_node parsed(std::string_view text) {
    auto result = parse_filter(text);
    EXPECT_TRUE(result.has_value())
        << text << ": " << (result.has_error() ? result.error().message : "");
    return result.has_value() ? *result : filter_node{};
}

parse_error failed(std::string_view text, const parse_limits& limits = {}) {
    auto result = parse_filter(text, limits);
    EXPECT_TRUE(result.has_error())
        << text << " parsed but should not: " << (result.has_value() ? to_string(*result) : "");
    return result.has_error() ? result.error() : parse_error{};
}

// Same tree, positions ignored.
bool same_tree(const filter_node& a, const filter_node& b) {
    if (a.type != b.type || a.path != b.path || a.children.size() != b.children.size()) {
        return false;
    }
    if (a.type == kind::compare && (a.op != b.op || a.value != b.value)) {
        return false;
    }
    for (std::size_t i = 0; i < a.children.size(); ++i) {
        if (!same_tree(a.children[i], b.children[i])) {
            return false;
        }
    }
    return true;
}

// Parses, prints, re-parses: the canonical text and an unchanged tree.
std::string canonical(std::string_view text) {
    const auto first = parsed(text);
    const std::string printed = to_string(first);
    const auto second = parsed(printed);
    EXPECT_TRUE(same_tree(first, second)) << text << " -> " << printed;
    EXPECT_EQ(to_string(second), printed);
    return printed;
}

attr_path plain(std::string name, std::string sub = "") {
    return {"", std::move(name), std::move(sub)};
}

// ---- comparisons and operators ----

TEST(FilterParser, EqualityWithString) {
    const auto node = parsed(R"(userName eq "bjensen")");
    EXPECT_EQ(node.type, kind::compare);
    EXPECT_EQ(node.path, plain("userName"));
    EXPECT_EQ(node.op, compare_op::eq);
    EXPECT_EQ(node.value, literal(std::string("bjensen")));
    EXPECT_EQ(node.position, 0u);
}

TEST(FilterParser, EveryComparisonOperator) {
    const std::pair<std::string_view, compare_op> cases[] = {
        {"eq", compare_op::eq}, {"ne", compare_op::ne}, {"co", compare_op::co},
        {"sw", compare_op::sw}, {"ew", compare_op::ew}, {"gt", compare_op::gt},
        {"ge", compare_op::ge}, {"lt", compare_op::lt}, {"le", compare_op::le}};
    for (const auto& [name, op] : cases) {
        const std::string text = "title " + std::string(name) + " \"x\"";
        const auto node = parsed(text);
        EXPECT_EQ(node.type, kind::compare) << text;
        EXPECT_EQ(node.op, op) << text;
        EXPECT_EQ(to_string(node), text);
    }
}

TEST(FilterParser, Present) {
    const auto node = parsed("title pr");
    EXPECT_EQ(node.type, kind::present);
    EXPECT_EQ(node.path, plain("title"));
    EXPECT_EQ(to_string(node), "title pr");
}

TEST(FilterParser, OperatorsAreCaseInsensitive) {
    EXPECT_EQ(canonical(R"(userName Eq "x")"), R"(userName eq "x")");
    EXPECT_EQ(canonical(R"(userName EQ "x")"), R"(userName eq "x")");
    EXPECT_EQ(canonical("title PR"), "title pr");
    EXPECT_EQ(canonical(R"(a eq 1 AND b eq 2 Or NOT (c pr))"), "a eq 1 and b eq 2 or not (c pr)");
}

TEST(FilterParser, AttributeNameKeepsItsSpelling) {
    // Names compare case-insensitively later; the parser keeps them as written.
    const auto node = parsed(R"(USERNAME EQ "x")");
    EXPECT_EQ(node.path, plain("USERNAME"));
    EXPECT_EQ(node.op, compare_op::eq);
}

TEST(FilterParser, DottedSubAttribute) {
    const auto node = parsed(R"(name.familyName co "O'Malley")");
    EXPECT_EQ(node.path, plain("name", "familyName"));
    EXPECT_EQ(node.op, compare_op::co);
    EXPECT_EQ(node.value, literal(std::string("O'Malley")));
}

TEST(FilterParser, MetaLastModifiedGreaterThanDate) {
    const auto node = parsed(R"(meta.lastModified gt "2011-05-13T04:42:34Z")");
    EXPECT_EQ(node.path, plain("meta", "lastModified"));
    EXPECT_EQ(node.op, compare_op::gt);
}

// ---- URN prefixes ----

TEST(FilterParser, CoreUrnPrefix) {
    const auto node = parsed(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")");
    EXPECT_EQ(node.path, (attr_path{"urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""}));
    EXPECT_EQ(node.op, compare_op::sw);
}

TEST(FilterParser, CoreUrnPrefixWithSubAttribute) {
    const auto node =
        parsed(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Jensen")");
    EXPECT_EQ(node.path,
              (attr_path{"urn:ietf:params:scim:schemas:core:2.0:User", "name", "familyName"}));
}

TEST(FilterParser, EnterpriseUrnPrefix) {
    const auto node = parsed(
        R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")");
    EXPECT_EQ(node.path, (attr_path{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                                    "employeeNumber", ""}));
}

TEST(FilterParser, EnterpriseManagerValue) {
    const auto node = parsed(
        R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915")");
    EXPECT_EQ(node.path, (attr_path{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                                    "manager", "value"}));
    EXPECT_EQ(canonical(to_string(node)), to_string(node));
}

// ---- logical operators and precedence ----

TEST(FilterParser, AndBindsTighterThanOr) {
    const auto node = parsed("a eq 1 or b eq 2 and c eq 3");
    ASSERT_EQ(node.type, kind::or_);
    EXPECT_EQ(node.children[0].path, plain("a"));
    ASSERT_EQ(node.children[1].type, kind::and_);
    EXPECT_EQ(node.children[1].children[0].path, plain("b"));
    EXPECT_EQ(node.children[1].children[1].path, plain("c"));
}

TEST(FilterParser, AndBeforeOrOnTheLeft) {
    const auto node = parsed("a eq 1 and b eq 2 or c eq 3");
    ASSERT_EQ(node.type, kind::or_);
    EXPECT_EQ(node.children[0].type, kind::and_);
    EXPECT_EQ(node.children[1].path, plain("c"));
}

TEST(FilterParser, SameOperatorIsLeftAssociative) {
    const auto node = parsed("a pr and b pr and c pr");
    ASSERT_EQ(node.type, kind::and_);
    EXPECT_EQ(node.children[0].type, kind::and_);
    EXPECT_EQ(node.children[1].path, plain("c"));
}

TEST(FilterParser, ParenthesesOverridePrecedence) {
    const auto node = parsed("(a eq 1 or b eq 2) and c eq 3");
    ASSERT_EQ(node.type, kind::and_);
    EXPECT_EQ(node.children[0].type, kind::or_);
    EXPECT_EQ(to_string(node), "(a eq 1 or b eq 2) and c eq 3");
}

TEST(FilterParser, NotWrapsAGroup) {
    const auto node = parsed(
        R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))");
    ASSERT_EQ(node.type, kind::and_);
    const auto& negation = node.children[1];
    ASSERT_EQ(negation.type, kind::not_);
    ASSERT_EQ(negation.children.size(), 1u);
    EXPECT_EQ(negation.children[0].type, kind::or_);
    EXPECT_EQ(negation.position, 27u);
}

TEST(FilterParser, NotWithoutSpaceBeforeParenthesis) {
    const auto node = parsed("not(title pr)");
    ASSERT_EQ(node.type, kind::not_);
    EXPECT_EQ(node.children[0].type, kind::present);
}

TEST(FilterParser, AttributeNamedNotIsStillAnAttribute) {
    const auto node = parsed("not pr");
    EXPECT_EQ(node.type, kind::present);
    EXPECT_EQ(node.path, plain("not"));
}

TEST(FilterParser, KeywordPrefixOfAttributeNameIsAnAttribute) {
    const auto node = parsed(R"(a pr and order eq "x")");
    ASSERT_EQ(node.type, kind::and_);
    EXPECT_EQ(node.children[1].path, plain("order"));
}

TEST(FilterParser, NestedParentheses) {
    const auto node = parsed("((((a pr))))");
    EXPECT_EQ(node.type, kind::present);
    EXPECT_EQ(canonical("((a pr or (b pr)) and ((c pr)))"), "(a pr or b pr) and c pr");
}

TEST(FilterParser, PositionsOfOperands) {
    const auto node = parsed(R"(userName eq "a" or  title pr)");
    EXPECT_EQ(node.position, 16u);  // the "or"
    EXPECT_EQ(node.children[0].position, 0u);
    EXPECT_EQ(node.children[1].position, 20u);
}

// ---- value paths ----

TEST(FilterParser, ValuePath) {
    const auto node = parsed(R"(emails[type eq "work"])");
    ASSERT_EQ(node.type, kind::value_path);
    EXPECT_EQ(node.path, plain("emails"));
    ASSERT_EQ(node.children.size(), 1u);
    EXPECT_EQ(node.children[0].path, plain("type"));
    EXPECT_EQ(node.children[0].value, literal(std::string("work")));
}

TEST(FilterParser, ValuePathWithAndInside) {
    const auto node = parsed(R"(emails[type eq "work" and value co "@x.org"])");
    ASSERT_EQ(node.type, kind::value_path);
    EXPECT_EQ(node.children[0].type, kind::and_);
    EXPECT_EQ(to_string(node), R"(emails[type eq "work" and value co "@x.org"])");
}

TEST(FilterParser, ValuePathWithOrAndParenthesesInside) {
    // RFC 7644 errata 7322.
    const auto node =
        parsed(R"(emails[type eq "work" or (type eq "home" and value ew "@example.com")])");
    ASSERT_EQ(node.type, kind::value_path);
    ASSERT_EQ(node.children[0].type, kind::or_);
    EXPECT_EQ(node.children[0].children[1].type, kind::and_);
}

TEST(FilterParser, TwoValuePathsJoinedByOr) {
    const auto node = parsed(
        R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])");
    ASSERT_EQ(node.type, kind::or_);
    EXPECT_EQ(node.children[0].type, kind::value_path);
    EXPECT_EQ(node.children[1].type, kind::value_path);
    EXPECT_EQ(node.children[1].path, plain("ims"));
}

TEST(FilterParser, ValuePathWithSubAttributeComparisonFoldsIntoTheBrackets) {
    // Entra ID: emails[type eq "work"].value eq "..." = an email that is work and has that value.
    const auto node = parsed(R"(emails[type eq "work"].value eq "a@x.org")");
    ASSERT_EQ(node.type, kind::value_path);
    EXPECT_EQ(node.path, plain("emails"));
    const auto& inner = node.children[0];
    ASSERT_EQ(inner.type, kind::and_);
    EXPECT_EQ(inner.children[1].path, plain("value"));
    EXPECT_EQ(inner.children[1].op, compare_op::eq);
    EXPECT_EQ(inner.children[1].position, 23u);
    EXPECT_EQ(canonical(R"(emails[type eq "work"].value eq "a@x.org")"),
              R"(emails[type eq "work" and value eq "a@x.org"])");
}

TEST(FilterParser, ValuePathInsideNot) {
    EXPECT_EQ(canonical(R"(not (emails[type eq "work"]))"), R"(not (emails[type eq "work"]))");
}

TEST(FilterParser, NestedValuePathIsRejected) {
    const auto error = failed(R"(emails[type[value eq "x"] pr])");
    EXPECT_EQ(error.position, 11u);
    EXPECT_NE(error.message.find("nested"), std::string::npos) << error.message;
}

TEST(FilterParser, UnclosedValuePathIsRejected) {
    const auto error = failed(R"(emails[type eq "work")");
    EXPECT_EQ(error.position, 21u);
    EXPECT_NE(error.message.find("\"]\""), std::string::npos) << error.message;
}

// ---- values ----

TEST(FilterParser, JsonEscapesInStrings) {
    const auto node = parsed(R"(a eq "q\" b\\ s\/ \b\f\n\r\t")");
    EXPECT_EQ(node.value, literal(std::string("q\" b\\ s/ \b\f\n\r\t")));
}

TEST(FilterParser, UnicodeEscapes) {
    EXPECT_EQ(parsed(R"(a eq "\u00e9")").value, literal(std::string("\xC3\xA9")));
    EXPECT_EQ(parsed(R"(a eq "\u20AC")").value, literal(std::string("\xE2\x82\xAC")));
    EXPECT_EQ(parsed(R"(a eq "\u0041")").value, literal(std::string("A")));
}

TEST(FilterParser, SurrogatePairBecomesOneCodePoint) {
    // U+1F600 as UTF-16 \uD83D\uDE00.
    EXPECT_EQ(parsed(R"(a eq "\uD83D\uDE00")").value, literal(std::string("\xF0\x9F\x98\x80")));
}

TEST(FilterParser, RawUtf8InStrings) {
    EXPECT_EQ(parsed("displayName eq \"J\xC3\xB6rg \xE5\xB1\xB1\xE7\x94\xB0\"").value,
              literal(std::string("J\xC3\xB6rg \xE5\xB1\xB1\xE7\x94\xB0")));
}

TEST(FilterParser, EmptyString) {
    EXPECT_EQ(parsed(R"(a eq "")").value, literal(std::string()));
}

TEST(FilterParser, Integers) {
    EXPECT_EQ(parsed("a eq 42").value, literal(std::int64_t{42}));
    EXPECT_EQ(parsed("a eq -7").value, literal(std::int64_t{-7}));
    EXPECT_EQ(parsed("a eq 0").value, literal(std::int64_t{0}));
    EXPECT_EQ(parsed("a eq 9223372036854775807").value, literal(std::int64_t{9223372036854775807}));
}

TEST(FilterParser, Decimals) {
    EXPECT_EQ(parsed("a gt 1.5").value, literal(1.5));
    EXPECT_EQ(parsed("a gt -0.25").value, literal(-0.25));
    EXPECT_EQ(parsed("a gt 1e3").value, literal(1000.0));
    EXPECT_EQ(parsed("a gt 2.5E-1").value, literal(0.25));
    EXPECT_EQ(parsed("a gt 1e+2").value, literal(100.0));
}

TEST(FilterParser, DecimalKeepsItsTypeThroughPrinting) {
    EXPECT_EQ(canonical("a gt 1.0"), "a gt 1.0");
    EXPECT_EQ(canonical("a gt 1e3"), "a gt 1000.0");
    EXPECT_EQ(canonical("a gt 0.1"), "a gt 0.1");
}

TEST(FilterParser, BooleansAndNull) {
    EXPECT_EQ(parsed("active eq true").value, literal(true));
    EXPECT_EQ(parsed("active eq false").value, literal(false));
    EXPECT_EQ(parsed("manager eq null").value, literal(nullptr));
}

TEST(FilterParser, LiteralsAreCaseInsensitive) {
    EXPECT_EQ(parsed("active eq True").value, literal(true));
    EXPECT_EQ(parsed("active eq FALSE").value, literal(false));
    EXPECT_EQ(parsed("manager eq Null").value, literal(nullptr));
    EXPECT_EQ(canonical("active eq TRUE"), "active eq true");
}

TEST(FilterParser, ValueFollowedByParenthesis) {
    const auto node = parsed("(a eq 1)");
    EXPECT_EQ(node.value, literal(std::int64_t{1}));
}

// ---- whitespace ----

TEST(FilterParser, ExtraSpacesAreTolerated) {
    EXPECT_EQ(canonical(R"(   userName    eq   "x"   and   (  title  pr  )  )"),
              R"(userName eq "x" and title pr)");
}

TEST(FilterParser, SpacesInsideStringsAreKept) {
    EXPECT_EQ(parsed(R"(a eq "  two  spaces ")").value, literal(std::string("  two  spaces ")));
}

TEST(FilterParser, NoSpaceBeforeQuotedValue) {
    EXPECT_EQ(parsed(R"(userName eq"x")").value, literal(std::string("x")));
}

// ---- to_string round trips ----

TEST(FilterParser, CanonicalTextQuotesAndEscapesStrings) {
    EXPECT_EQ(canonical(R"(a eq "say \"hi\"\n\u0001\\")"), R"(a eq "say \"hi\"\n\u0001\\")");
    EXPECT_EQ(canonical(R"(a eq "\/")"), R"(a eq "/")");
}

TEST(FilterParser, RightNestedSameOperatorKeepsItsParentheses) {
    EXPECT_EQ(canonical("a pr and (b pr and c pr)"), "a pr and (b pr and c pr)");
    EXPECT_EQ(canonical("a pr or (b pr or c pr)"), "a pr or (b pr or c pr)");
    EXPECT_EQ(canonical("(a pr or b pr) or c pr"), "a pr or b pr or c pr");
}

TEST(FilterParser, RoundTripsOfRfcExamples) {
    const std::string_view examples[] = {
        R"(userName eq "bjensen")",
        R"(name.familyName co "O'Malley")",
        R"(userName sw "J")",
        R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")",
        R"(title pr)",
        R"(meta.lastModified gt "2011-05-13T04:42:34Z")",
        R"(meta.lastModified ge "2011-05-13T04:42:34Z")",
        R"(meta.lastModified lt "2011-05-13T04:42:34Z")",
        R"(meta.lastModified le "2011-05-13T04:42:34Z")",
        R"(title pr and userType eq "Employee")",
        R"(title pr or userType eq "Intern")",
        R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")",
        R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
        R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))",
        R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])",
        R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
    };
    for (const auto text : examples) {
        EXPECT_EQ(canonical(text), text);
    }
}

// ---- invalid filters, with positions ----

TEST(FilterParser, EmptyFilterIsRejected) {
    const auto error = failed("");
    EXPECT_EQ(error.position, 0u);
    EXPECT_EQ(error.message, "empty filter at position 0");
}

TEST(FilterParser, BlankFilterIsRejected) {
    const auto error = failed("   ");
    EXPECT_EQ(error.position, 3u);
}

TEST(FilterParser, MissingOperatorNamesTheAttribute) {
    const auto error = failed("userName ");
    EXPECT_EQ(error.position, 9u);
    EXPECT_EQ(error.message,
              "expected an operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le) after \"userName\" "
              "at position 9");
}

TEST(FilterParser, UnknownOperatorIsRejected) {
    const auto error = failed(R"(userName like "x")");
    EXPECT_EQ(error.position, 9u);
    EXPECT_EQ(error.message,
              "expected an operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le) after \"userName\" "
              "at position 9, found \"like\"");
}

TEST(FilterParser, ValueWithoutOperatorIsRejected) {
    const auto error = failed(R"(userName "x")");
    EXPECT_EQ(error.position, 9u);
    EXPECT_NE(error.message.find("expected an operator"), std::string::npos) << error.message;
}

TEST(FilterParser, BareValueWithoutAttributeIsRejected) {
    // Okta's 2016 SPEC test sends only the value.
    const auto error = failed("RUNSCOPE@EXAMPLE.COM");
    EXPECT_EQ(error.position, 8u);
}

TEST(FilterParser, MissingValueIsRejected) {
    const auto error = failed("userName eq");
    EXPECT_EQ(error.position, 11u);
    EXPECT_EQ(error.message,
              "expected a value (a \"quoted string\", number, true, false or null) after \"eq\" "
              "at position 11");
}

TEST(FilterParser, MissingValueBeforeAndIsRejected) {
    const auto error = failed(R"((userName eq) and a pr)");
    EXPECT_EQ(error.position, 12u);
}

TEST(FilterParser, UnquotedValueIsRejected) {
    // Okta's 2017 SPEC test and Entra's doc example send unquoted values; RFC 7644 requires JSON.
    const auto error = failed("userName eq x@y.org");
    EXPECT_EQ(error.position, 12u);
    EXPECT_NE(error.message.find("unquoted \"x@y.org\""), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("double quotes"), std::string::npos) << error.message;
    EXPECT_EQ(failed("externalId eq jyoung").position, 14u);
}

TEST(FilterParser, PresentWithValueIsRejected) {
    const auto error = failed(R"(title pr "x")");
    EXPECT_EQ(error.position, 9u);
    EXPECT_NE(error.message.find("\"pr\" takes no value"), std::string::npos) << error.message;
    EXPECT_EQ(failed("title pr true").position, 9u);
}

TEST(FilterParser, UnterminatedStringIsRejectedAtItsStart) {
    const auto error = failed(R"(userName eq "abc)");
    EXPECT_EQ(error.position, 12u);
    EXPECT_EQ(error.message, "unterminated string starting at position 12");
}

TEST(FilterParser, StringEndingInBackslashIsRejected) {
    EXPECT_EQ(failed(R"(a eq "abc\)").position, 9u);
}

TEST(FilterParser, BadEscapeIsRejected) {
    const auto error = failed(R"(a eq "a\qb")");
    EXPECT_EQ(error.position, 7u);
    EXPECT_NE(error.message.find("invalid escape \"\\q\""), std::string::npos) << error.message;
}

TEST(FilterParser, ShortUnicodeEscapeIsRejected) {
    EXPECT_EQ(failed(R"(a eq "\u12")").position, 6u);
    EXPECT_EQ(failed(R"(a eq "\u12G4")").position, 6u);
}

TEST(FilterParser, LoneSurrogatesAreRejected) {
    EXPECT_EQ(failed(R"(a eq "\uD83D")").position, 6u);
    EXPECT_EQ(failed(R"(a eq "\uD83Dx")").position, 6u);
    EXPECT_EQ(failed(R"(a eq "\uDE00")").position, 6u);
    EXPECT_EQ(failed(R"(a eq "\uD83D\u0041")").position, 6u);
}

TEST(FilterParser, RawControlCharacterInStringIsRejected) {
    EXPECT_EQ(failed("a eq \"x\ty\"").position, 7u);
}

TEST(FilterParser, InvalidUtf8InStringIsRejected) {
    EXPECT_EQ(failed("a eq \"x\xC3(\"").position, 7u);
    EXPECT_EQ(failed("a eq \"\xED\xA0\x80\"").position, 6u);  // encoded surrogate
}

TEST(FilterParser, LeadingPlusIsRejected) {
    const auto error = failed("a eq +1");
    EXPECT_EQ(error.position, 5u);
    EXPECT_NE(error.message.find("must not start with \"+\""), std::string::npos) << error.message;
}

TEST(FilterParser, MalformedNumbersAreRejected) {
    for (const auto text : {"a eq 01", "a eq 1.", "a eq .5", "a eq 1e", "a eq -", "a eq 12abc",
                            "a eq 1.2.3", "a eq --1"}) {
        const auto error = failed(text);
        EXPECT_EQ(error.position, 5u) << text;
    }
    EXPECT_EQ(failed("a eq .5").message,
              "expected a value (a \"quoted string\", number, true, "
              "false or null) after \"eq\" at position 5, found "
              "unquoted \".5\" (string values must be in double "
              "quotes)");
}

TEST(FilterParser, OutOfRangeNumbersAreRejected) {
    EXPECT_NE(failed("a eq 9223372036854775808").message.find("out of range"), std::string::npos);
    EXPECT_NE(failed("a eq 1e999").message.find("out of range"), std::string::npos);
}

TEST(FilterParser, UnbalancedOpeningParenthesisIsRejected) {
    const auto error = failed("(a eq 1");
    EXPECT_EQ(error.position, 7u);
    EXPECT_NE(error.message.find("\")\""), std::string::npos) << error.message;
}

TEST(FilterParser, UnbalancedClosingParenthesisIsRejected) {
    const auto error = failed("a eq 1)");
    EXPECT_EQ(error.position, 6u);
    EXPECT_EQ(error.message,
              "expected \"and\", \"or\" or the end of the filter at position 6, found \")\"");
}

TEST(FilterParser, EmptyParenthesesAreRejected) {
    EXPECT_EQ(failed("()").position, 1u);
}

TEST(FilterParser, NotWithoutParenthesesIsRejected) {
    const auto error = failed("not title pr");
    EXPECT_EQ(error.position, 4u);  // "not" is read as an attribute, then "title" is no operator
}

TEST(FilterParser, TrailingGarbageIsRejected) {
    const auto error = failed(R"(userName eq "x" garbage)");
    EXPECT_EQ(error.position, 16u);
    EXPECT_NE(error.message.find("found \"garbage\""), std::string::npos) << error.message;
}

TEST(FilterParser, DanglingAndIsRejected) {
    const auto error = failed(R"(userName eq "x" and)");
    EXPECT_EQ(error.position, 19u);
    EXPECT_NE(error.message.find("expected an attribute name"), std::string::npos) << error.message;
}

TEST(FilterParser, LeadingOrIsReadAsAttributeThenRejected) {
    EXPECT_EQ(failed(R"(or userName eq "x")").position, 3u);
}

TEST(FilterParser, InvalidAttributeNameIsRejected) {
    EXPECT_EQ(failed(R"(a eq 1 and 9lives eq 1)").position, 11u);
    EXPECT_EQ(failed(R"(name.given.x eq 1)").position, 5u);
}

TEST(FilterParser, ValuePathAfterSubAttributeIsRejected) {
    EXPECT_EQ(failed(R"(emails.value[type eq "work"])").position, 12u);
}

TEST(FilterParser, ValuePathFollowedByValueIsRejected) {
    const auto error = failed(R"(emails[type eq "work"] eq "x")");
    EXPECT_EQ(error.position, 23u);
}

TEST(FilterParser, ValuePathSubAttributeWithoutOperatorIsRejected) {
    const auto error = failed(R"(emails[type eq "work"].value)");
    EXPECT_EQ(error.position, 28u);
    EXPECT_NE(error.message.find("after \"emails[...].value\""), std::string::npos)
        << error.message;
}

// ---- limits ----

TEST(FilterParser, LengthLimit) {
    parse_limits limits;
    limits.max_length = 16;
    EXPECT_TRUE(parse_filter(R"(userName eq "x")", limits).has_value());  // 15 characters
    const auto error = failed(R"(userName eq "xyz")", limits);
    EXPECT_EQ(error.position, 16u);
    EXPECT_NE(error.message.find("longer than 16"), std::string::npos) << error.message;
}

TEST(FilterParser, DepthLimitCountsParentheses) {
    parse_limits limits;
    limits.max_depth = 3;
    EXPECT_TRUE(parse_filter("(((a pr)))", limits).has_value());
    const auto error = failed("((((a pr))))", limits);
    EXPECT_EQ(error.position, 3u);
    EXPECT_NE(error.message.find("deeper than 3"), std::string::npos) << error.message;
}

TEST(FilterParser, DepthLimitCountsNotAndValuePaths) {
    parse_limits limits;
    limits.max_depth = 2;
    EXPECT_TRUE(parse_filter("not (emails[type pr])", limits).has_value());
    EXPECT_EQ(failed("not (emails[(type pr)])", limits).position, 12u);
    EXPECT_EQ(failed("not (not (not (a pr)))", limits).position, 14u);
}

TEST(FilterParser, DeepNestingFailsCleanlyInsteadOfExhaustingTheStack) {
    std::string deep(100000, '(');
    deep.append("a pr");
    deep.append(100000, ')');
    parse_limits limits;
    limits.max_length = deep.size();
    const auto error = failed(deep, limits);
    EXPECT_EQ(error.position, 32u);
    const std::string nots = [] {
        std::string s;
        for (int i = 0; i < 20000; ++i) {
            s += "not (";
        }
        return s;
    }();
    limits.max_length = nots.size();
    EXPECT_EQ(failed(nots, limits).position, 32u * 5 + 4);
}

TEST(FilterParser, NodeLimit) {
    parse_limits limits;
    limits.max_nodes = 5;
    EXPECT_TRUE(parse_filter("a pr and b pr and c pr", limits).has_value());  // 5 nodes
    const auto error = failed("a pr and b pr and c pr and d pr", limits);
    EXPECT_EQ(error.position, 27u);  // the sixth node: "d pr"
    EXPECT_NE(error.message.find("more than 5"), std::string::npos) << error.message;
}

TEST(FilterParser, DefaultLimitsRejectAHugeFlatFilter) {
    std::string flat = "a0 pr";
    for (int i = 1; i < 200; ++i) {
        flat += " or a" + std::to_string(i) + " pr";
    }
    parse_limits limits;
    limits.max_length = flat.size();
    const auto error = failed(flat, limits);
    EXPECT_NE(error.message.find("more than 256"), std::string::npos) << error.message;
}

TEST(FilterParser, ValueMethodThrowsWithTheMessage) {
    auto result = parse_filter("a eq");
    EXPECT_THROW(result.value(), std::invalid_argument);
}

}  // namespace
}  // namespace scimldap::mapping
