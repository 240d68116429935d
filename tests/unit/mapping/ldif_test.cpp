// LDIF printing and reading (RFC 2849) for explain.
#include "mapping/ldif.hpp"

#include <gtest/gtest.h>

namespace scimldap::mapping {
namespace {

TEST(Ldif, SafeValuesArePlainAndOthersBase64) {
    const auto text = to_ldif(ldap::dn("uid=a,ou=People,dc=example,dc=org"),
                              {{"cn", {"Alice"}}, {"sn", {"Ñúñez"}}, {"title", {" lead"}}});
    EXPECT_EQ(text,
              "dn: uid=a,ou=People,dc=example,dc=org\ncn: Alice\nsn:: w5HDusOxZXo=\n"
              "title:: IGxlYWQ=\n");
}

TEST(Ldif, ReadableCommentsPrecedeBase64Lines) {
    const auto text = to_ldif(ldap::dn("uid=a,dc=x"), {{"sn", {"Ñúñez"}}}, true);
    EXPECT_NE(text.find("# sn: Ñúñez\nsn:: w5HDusOxZXo=\n"), std::string::npos) << text;
}

TEST(Ldif, PrintedEntryReadsBack) {
    const std::vector<ldap::attribute> attrs{
        {"objectClass", {"inetOrgPerson", "top"}}, {"sn", {"Ñúñez"}}, {"cn", {"x)(uid=*"}}};
    const auto entry = parse_ldif_entry(to_ldif(ldap::dn("uid=a,dc=x"), attrs));
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->name.str(), "uid=a,dc=x");
    ASSERT_NE(entry->find("objectclass"), nullptr);
    EXPECT_EQ(entry->find("objectclass")->size(), 2u);
    EXPECT_EQ(entry->first("sn"), "Ñúñez");
    EXPECT_EQ(entry->first("cn"), "x)(uid=*");
}

TEST(Ldif, FoldedLinesAndCommentsAreHandled) {
    const auto entry =
        parse_ldif_entry("# a comment\nversion: 1\ndn: uid=a,dc=x\ndescription: one\n two\n");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->first("description"), "onetwo");
}

TEST(Ldif, TextWithoutDnIsRefusedWithTheLine) {
    const auto entry = parse_ldif_entry("cn: x\n");
    ASSERT_FALSE(entry);
    EXPECT_EQ(entry.error().line, 1u);
}

TEST(Ldif, ChangeRecordsOtherThanAddAreRefused) {
    EXPECT_FALSE(parse_ldif_entry("dn: uid=a,dc=x\nchangetype: modify\nreplace: cn\ncn: y\n"));
}

}  // namespace
}  // namespace scimldap::mapping
