// SCIM names in JSON are case-insensitive (RFC 7643 §2.1), and entryUUID ids have one syntax.
#include "mapping/json_keys.hpp"
#include "mapping/ldap_syntax.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

TEST(JsonKeys, AMemberIsFoundInAnySpellingOfItsName) {
    const json::object o{{"userName", "bjensen"}, {"Title", "boss"}};
    ASSERT_NE(find_member(o, "USERNAME"), nullptr);
    EXPECT_EQ(find_member(o, "username")->as_string(), "bjensen");
    EXPECT_EQ(find_member(o, "title")->as_string(), "boss");
    EXPECT_EQ(find_member(o, "nickName"), nullptr);
}

TEST(JsonKeys, TheMutableLookupChangesTheMemberInPlace) {
    json::object o{{"active", true}};
    *find_member(o, "ACTIVE") = false;
    EXPECT_EQ(o.at("active"), false);
}

TEST(JsonKeys, EraseRemovesEverySpelling) {
    json::object o{{"title", "a"}, {"TITLE", "b"}, {"name", "c"}};
    erase_members(o, "Title");
    EXPECT_EQ(o.size(), 1u);
    EXPECT_TRUE(o.contains("name"));
}

TEST(UuidSyntax, TheEightFourFourFourTwelveHexFormIsAUuid) {
    EXPECT_TRUE(is_uuid("0b6e3f8c-1111-4a4a-9c9c-0123456789ab"));
    EXPECT_TRUE(is_uuid("0B6E3F8C-1111-4A4A-9C9C-0123456789AB"));
}

TEST(UuidSyntax, AnythingElseIsNot) {
    EXPECT_FALSE(is_uuid(""));
    EXPECT_FALSE(is_uuid("0b6e3f8c11114a4a9c9c0123456789ab"));      // no dashes
    EXPECT_FALSE(is_uuid("0b6e3f8c-1111-4a4a-9c9c-0123456789ag"));  // not hex
    EXPECT_FALSE(is_uuid("0b6e3f8c-1111-4a4a-9c9c-0123456789abc"));
    EXPECT_FALSE(is_uuid("uid=x,ou=People,dc=example,dc=org"));
}

}  // namespace
}  // namespace scimldap::mapping
