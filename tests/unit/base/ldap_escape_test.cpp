#include "base/escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace scimldap::ldap {
namespace {

using namespace std::string_literals;

const std::string jorg =
    "J\xC3\xB6rg \xC3\x91\xC3\xBA\xC3\xB1"
    "ez";                                                                       // Jörg Ñúñez
const std::string yamada = "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E";  // 山田太郎
const std::string lucic = "Lu\xC4\x8Di\xC4\x87";                                // Lučić

// ---- RFC 4514 value escaping ----

TEST(LdapEscape, DnPlainValueIsUnchanged) {
    EXPECT_EQ(dn_escape_value("jsmith"), "jsmith");
}

TEST(LdapEscape, DnSpecialCharactersAreEscaped) {
    EXPECT_EQ(dn_escape_value(R"(James "Jim" Smith, III)"), R"(James \"Jim\" Smith\, III)");
    EXPECT_EQ(dn_escape_value("a+b;c<d>e\\f=g"), R"(a\+b\;c\<d\>e\\f\=g)");
}

TEST(LdapEscape, DnCommaCannotStartAnotherRdn) {
    EXPECT_EQ(dn_escape_value("a,ou=Groups"), R"(a\,ou\=Groups)");
    EXPECT_EQ(make_rdn("uid", "a,ou=Groups"), R"(uid=a\,ou\=Groups)");
}

TEST(LdapEscape, DnNulIsHexEscaped) {
    EXPECT_EQ(dn_escape_value("a\0b"s), R"(a\00b)");
}

TEST(LdapEscape, DnLeadingHashAndSpaceAreEscaped) {
    EXPECT_EQ(dn_escape_value("#lead"), R"(\#lead)");
    EXPECT_EQ(dn_escape_value(" lead"), R"(\ lead)");
    EXPECT_EQ(dn_escape_value("mid#dle"), "mid#dle");
    EXPECT_EQ(dn_escape_value("mid dle"), "mid dle");
}

TEST(LdapEscape, DnTrailingSpaceIsEscaped) {
    EXPECT_EQ(dn_escape_value("trail "), R"(trail\ )");
    EXPECT_EQ(dn_escape_value(" "), R"(\ )");
    EXPECT_EQ(dn_escape_value("  "), R"(\ \ )");
}

TEST(LdapEscape, DnNonAsciiIsKept) {
    EXPECT_EQ(dn_escape_value(jorg), jorg);
    EXPECT_EQ(dn_escape_value(yamada), yamada);
}

TEST(LdapEscape, DnUnescapeHexPairs) {
    // RFC 4514 §4: "CN=Before\0DAfter" and "CN=Lu\C4\8Di\C4\87".
    EXPECT_EQ(dn_unescape_value(R"(Before\0DAfter)"), "Before\rAfter");
    EXPECT_EQ(dn_unescape_value(R"(Lu\C4\8Di\C4\87)"), lucic);
    EXPECT_EQ(dn_unescape_value(R"(lu\c4\8di\c4\87)"), "lu\xC4\x8Di\xC4\x87");
}

TEST(LdapEscape, DnUnescapeSpecials) {
    EXPECT_EQ(dn_unescape_value(R"(James \"Jim\" Smith\, III)"), R"(James "Jim" Smith, III)");
    EXPECT_EQ(dn_unescape_value(R"(\#lead)"), "#lead");
    EXPECT_EQ(dn_unescape_value(R"(\ lead)"), " lead");
    EXPECT_EQ(dn_unescape_value(R"(trail\ )"), "trail ");
    EXPECT_EQ(dn_unescape_value(R"(a\00b)"), "a\0b"s);
    EXPECT_EQ(dn_unescape_value("a=b"), "a=b");  // '=' needs no escape (RFC 4514)
}

TEST(LdapEscape, DnUnescapeRejectsMalformedInput) {
    EXPECT_EQ(dn_unescape_value(R"(a\)"), std::nullopt);
    EXPECT_EQ(dn_unescape_value(R"(a\q)"), std::nullopt);
    EXPECT_EQ(dn_unescape_value(R"(a\4)"), std::nullopt);
    EXPECT_EQ(dn_unescape_value(R"(a\4g)"), std::nullopt);
    EXPECT_EQ(dn_unescape_value("a,b"), std::nullopt);
    EXPECT_EQ(dn_unescape_value("a+b"), std::nullopt);
    EXPECT_EQ(dn_unescape_value(R"(a"b)"), std::nullopt);
    EXPECT_EQ(dn_unescape_value("a<b"), std::nullopt);
    EXPECT_EQ(dn_unescape_value("a\0b"s), std::nullopt);
}

TEST(LdapEscape, DnRoundTrips) {
    const std::string values[] = {"a,ou=Groups",   "x)(uid=*", "*",    "\\",    "#lead",
                                  " lead",         "trail ",   " ",    "a\0b"s, R"("q")",
                                  "a+b;c<d>e",     jorg,       yamada, lucic,   "",
                                  "  both ends  ", "\\2c",     "#",    "=",     "tab\there"};
    for (const auto& value : values) {
        const auto escaped = dn_escape_value(value);
        EXPECT_EQ(dn_unescape_value(escaped), value) << escaped;
        EXPECT_EQ(rdn_value(make_rdn("cn", value), "cn"), value) << escaped;
    }
}

TEST(LdapEscape, DnHexStringValueIsDecoded) {
    // RFC 4514 §4: "1.3.6.1.4.1.1466.0=#04024869" is an OCTET STRING holding "Hi".
    EXPECT_EQ(rdn_value("1.3.6.1.4.1.1466.0=#04024869", "1.3.6.1.4.1.1466.0"), "Hi");
    EXPECT_EQ(rdn_value("cn=#0402486", "cn"), std::nullopt);   // odd number of digits
    EXPECT_EQ(rdn_value("cn=#04034869", "cn"), std::nullopt);  // length mismatch
}

// ---- RFC 4515 filter escaping ----

TEST(LdapEscape, FilterRfc4515Examples) {
    EXPECT_EQ(filter_escape_value("Parens R Us (for all your parenthetical needs)"),
              R"(Parens R Us \28for all your parenthetical needs\29)");
    EXPECT_EQ(filter_escape_value("*"), R"(\2a)");
    EXPECT_EQ(filter_escape_value(R"(C:\MyFile)"), R"(C:\5cMyFile)");
    EXPECT_EQ(filter_escape_value("\0\0\0\x04"s), R"(\00\00\00)"s + "\x04");
}

TEST(LdapEscape, FilterInjectionIsNeutralised) {
    EXPECT_EQ(filter_escape_value("x)(uid=*"), R"(x\29\28uid=\2a)");
    EXPECT_EQ(filter_escape_value("*)(|(objectClass=*"), R"(\2a\29\28|\28objectClass=\2a)");
    EXPECT_EQ(filter_escape_value("\\"), R"(\5c)");
    EXPECT_EQ(filter_escape_value("a\0b"s), R"(a\00b)");
}

TEST(LdapEscape, FilterKeepsUtf8) {
    EXPECT_EQ(filter_escape_value(lucic), lucic);
    EXPECT_EQ(filter_escape_value(jorg), jorg);
    EXPECT_EQ(filter_escape_value(yamada + "*"), yamada + R"(\2a)");
    EXPECT_EQ(filter_escape_value("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
}

TEST(LdapEscape, FilterEscapesBytesThatAreNotUtf8) {
    EXPECT_EQ(filter_escape_value("a\xFF"), R"(a\ff)");
    EXPECT_EQ(filter_escape_value("\xC3("), R"(\c3\28)");     // truncated sequence
    EXPECT_EQ(filter_escape_value("\xC0\xAF"), R"(\c0\af)");  // overlong '/'
}

TEST(LdapEscape, FilterLeavesOtherAsciiAlone) {
    EXPECT_EQ(filter_escape_value("john.o'neil+x@example.com =,;#"),
              "john.o'neil+x@example.com =,;#");
}

// ---- building and splitting DNs ----

TEST(LdapEscape, MakeChildDn) {
    EXPECT_EQ(make_child_dn("uid", "a,ou=Groups", dn("ou=People,dc=example,dc=org")),
              dn(R"(uid=a\,ou\=Groups,ou=People,dc=example,dc=org)"));
    EXPECT_EQ(make_child_dn("dc", "org", dn()), dn("dc=org"));
}

TEST(LdapEscape, SplitDn) {
    const auto parts = split_dn(dn("uid=jsmith,dc=example,dc=net"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, "uid=jsmith");
    EXPECT_EQ(parts->parent, dn("dc=example,dc=net"));
}

TEST(LdapEscape, SplitDnRespectsEscapedCommas) {
    const auto parts = split_dn(dn(R"(CN=James \"Jim\" Smith\, III,DC=example,DC=net)"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, R"(CN=James \"Jim\" Smith\, III)");
    EXPECT_EQ(parts->parent, dn("DC=example,DC=net"));
    EXPECT_EQ(rdn_value(parts->rdn, "cn"), R"(James "Jim" Smith, III)");
}

TEST(LdapEscape, SplitDnRespectsHexEscapedCommas) {
    const auto parts = split_dn(dn(R"(cn=a\2cb,o=x)"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, R"(cn=a\2cb)");
    EXPECT_EQ(rdn_value(parts->rdn, "cn"), "a,b");
}

TEST(LdapEscape, SplitDnKeepsMultiValuedRdnTogether) {
    const auto parts = split_dn(dn("OU=Sales+CN=J.  Smith,DC=example,DC=net"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, "OU=Sales+CN=J.  Smith");
    EXPECT_EQ(parts->parent, dn("DC=example,DC=net"));
    EXPECT_EQ(rdn_value(parts->rdn, "cn"), std::nullopt);  // not a single attr=value
}

TEST(LdapEscape, SplitDnTrimsSpacesAroundSeparators) {
    const auto parts = split_dn(dn("uid=a , ou=People"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, "uid=a");
    EXPECT_EQ(parts->parent, dn("ou=People"));
}

TEST(LdapEscape, SplitDnKeepsEscapedTrailingSpace) {
    const auto parts = split_dn(dn(R"(cn=trail\ ,o=x)"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, R"(cn=trail\ )");
    EXPECT_EQ(rdn_value(parts->rdn, "cn"), "trail ");
}

TEST(LdapEscape, SplitDnOfSingleRdnHasEmptyParent) {
    const auto parts = split_dn(dn("dc=org"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->rdn, "dc=org");
    EXPECT_TRUE(parts->parent.empty());
}

TEST(LdapEscape, SplitDnAcceptsRfc2253Quotes) {
    const auto parts = split_dn(dn(R"(cn="Smith, John",o=x)"));
    ASSERT_TRUE(parts);
    EXPECT_EQ(rdn_value(parts->rdn, "cn"), "Smith, John");
    EXPECT_EQ(parts->parent, dn("o=x"));
}

TEST(LdapEscape, SplitDnRejectsMalformedDns) {
    EXPECT_EQ(split_dn(dn("")), std::nullopt);
    EXPECT_EQ(split_dn(dn("uid")), std::nullopt);
    EXPECT_EQ(split_dn(dn("=x")), std::nullopt);
    EXPECT_EQ(split_dn(dn("uid=a,")), std::nullopt);
    EXPECT_EQ(split_dn(dn("uid=a,,o=x")), std::nullopt);
    EXPECT_EQ(split_dn(dn(R"(uid=a\,o=x\)")), std::nullopt);
    EXPECT_EQ(split_dn(dn(R"(cn="open,o=x)")), std::nullopt);
    EXPECT_EQ(split_dn(dn("1.2.=x")), std::nullopt);
}

TEST(LdapEscape, RdnValueChecksTheAttribute) {
    EXPECT_EQ(rdn_value("uid=jsmith", "uid"), "jsmith");
    EXPECT_EQ(rdn_value("UID=jsmith", "uid"), "jsmith");
    EXPECT_EQ(rdn_value("cn=jsmith", "uid"), std::nullopt);
    EXPECT_EQ(rdn_value("uid=a,o=x", "uid"), std::nullopt);
    EXPECT_EQ(rdn_value("uid=" + jorg, "uid"), jorg);
}

// ---- normalisation and containment ----

TEST(LdapEscape, NormalizeDnLowercasesAndTrims) {
    EXPECT_EQ(normalize_dn(dn("UID=JSmith, OU=People ,DC=Example,DC=NET")),
              "uid=jsmith,ou=people,dc=example,dc=net");
}

TEST(LdapEscape, NormalizeDnReescapesCanonically) {
    EXPECT_EQ(normalize_dn(dn(R"(cn=\41b\2cc,o=x)")), R"(cn=ab\,c,o=x)");
    EXPECT_EQ(normalize_dn(dn(R"(cn="a,b",o=x)")), R"(cn=a\,b,o=x)");
    EXPECT_EQ(normalize_dn(dn(R"(cn=a\=b)")), normalize_dn(dn("cn=a=b")));
}

TEST(LdapEscape, NormalizeDnSortsMultiValuedRdns) {
    EXPECT_EQ(normalize_dn(dn("OU=Sales+CN=J.  Smith,DC=example")),
              normalize_dn(dn("cn=J.  Smith+ou=Sales,dc=example")));
}

TEST(LdapEscape, NormalizeDnKeepsNonAscii) {
    EXPECT_EQ(normalize_dn(dn("cn=" + jorg + ",o=X")),
              "cn=j\xC3\xB6rg \xC3\x91\xC3\xBA\xC3\xB1"
              "ez,o=x");
    EXPECT_EQ(normalize_dn(dn(R"(CN=Lu\C4\8Di\C4\87)")), "cn=" + ("lu\xC4\x8Di\xC4\x87"s));
}

TEST(LdapEscape, PlainDnsNormaliseAsTheGeneralParseDoes) {
    // Plain DNs take a short path; a space after each comma sends the same DN through the
    // general parse, and both must agree.
    for (const std::string text :
         {"uid=User5,ou=People,dc=example,dc=org", "cn=Dept-01.Staff_x@y,ou=Groups,O=Acme",
          "2.5.4.3=X,dc=A", "cn=a", ""}) {
        std::string spaced;
        for (const char c : text) {
            spaced += c;
            if (c == ',') {
                spaced += ' ';
            }
        }
        EXPECT_EQ(normalize_dn(dn(text)), normalize_dn(dn(spaced))) << text;
    }
}

TEST(LdapEscape, OddAttributeTypesTakeTheGeneralPathAndStayMalformed) {
    for (const std::string text : {"A_b=X,dc=ex", "cn.x=y", "2a=x", "1.2.=x", "-=x", "dc=ex,"}) {
        EXPECT_EQ(normalize_dn(dn(text)), text) << text;  // malformed: kept as it is
    }
    EXPECT_FALSE(is_within(dn("a.b=c,dc=ex"), dn("dc=ex")));
    EXPECT_FALSE(is_within(dn("a_b=c,dc=ex"), dn("dc=ex")));
}

TEST(LdapEscape, IsWithinOfPlainDnsMatchesTheGeneralParse) {
    const dn base("ou=People,dc=example,dc=org");
    EXPECT_TRUE(is_within(dn("uid=a,OU=people,dc=example,dc=org"), base));
    EXPECT_TRUE(is_within(dn("ou=People,dc=example,dc=org"), base));
    EXPECT_FALSE(is_within(dn("uid=a,ou=xPeople,dc=example,dc=org"), base));
    EXPECT_FALSE(is_within(dn("dc=org"), base));
    EXPECT_TRUE(is_within(dn("uid=a,dc=org"), dn("")));
}

TEST(LdapEscape, IsWithinIgnoresCaseAndSpacing) {
    const dn base("ou=People,dc=example,dc=org");
    EXPECT_TRUE(is_within(dn("uid=a,ou=People,dc=example,dc=org"), base));
    EXPECT_TRUE(is_within(dn("UID=a, OU=people, DC=Example, DC=ORG"), base));
    EXPECT_TRUE(is_within(dn("ou=people,dc=example,dc=org"), base));  // the base itself
    EXPECT_TRUE(is_within(dn("uid=a,ou=x,ou=People,dc=example,dc=org"), base));
}

TEST(LdapEscape, IsWithinComparesWholeRdns) {
    const dn base("ou=People,dc=example,dc=org");
    EXPECT_FALSE(is_within(dn("uid=a,ou=People2,dc=example,dc=org"), base));
    EXPECT_FALSE(is_within(dn("uid=a,xou=People,dc=example,dc=org"), base));
    EXPECT_FALSE(is_within(dn("dc=example,dc=org"), base));
    EXPECT_FALSE(is_within(dn("uid=a,ou=Groups,dc=example,dc=org"), base));
}

TEST(LdapEscape, IsWithinIsNotFooledByEscapedCommas) {
    const dn base("ou=People,dc=example,dc=org");
    // One RDN whose value merely contains the base's text.
    EXPECT_FALSE(is_within(dn(R"(uid=a\,ou=People\,dc=example\,dc=org)"), base));
    EXPECT_FALSE(is_within(dn(R"(uid=x\,ou=People,dc=example,dc=org)"),
                           dn("uid=x,ou=People,dc=example,dc=org")));
}

TEST(LdapEscape, IsWithinRejectsMalformedDns) {
    EXPECT_FALSE(is_within(dn("uid=a\\,ou=People,"), dn("ou=People")));
    EXPECT_FALSE(is_within(dn("uid=a,ou=People"), dn("ou=People,")));
}

TEST(LdapEscape, EverythingIsWithinTheRootDn) {
    EXPECT_TRUE(is_within(dn("uid=a,dc=org"), dn("")));
}

}  // namespace
}  // namespace scimldap::ldap
