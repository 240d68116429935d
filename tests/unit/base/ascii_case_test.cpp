// ASCII case folding for names and ids (bridge/ldap/ascii_case.hpp).
#include "base/ascii_case.hpp"

#include <gtest/gtest.h>

namespace scimldap::ascii {
namespace {

TEST(AsciiCase, IequalsFoldsOnlyAsciiLetters) {
    EXPECT_TRUE(iequals("userName", "USERNAME"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("userName", "userNam"));
    EXPECT_FALSE(iequals("a_b", "a-b"));
    EXPECT_FALSE(iequals("\xc3\x84", "\xc3\xa4"));  // Ä / ä: not ASCII, compared as bytes
}

TEST(AsciiCase, IcompareOrdersCaseInsensitivelyThenByLength) {
    EXPECT_EQ(icompare("Alice", "alice"), 0);
    EXPECT_LT(icompare("alice", "Bob"), 0);
    EXPECT_GT(icompare("bob", "ALICE"), 0);
    EXPECT_LT(icompare("ann", "anna"), 0);
    EXPECT_GT(icompare("anna", "ANN"), 0);
}

TEST(AsciiCase, IcompareSortsUtf8AfterAscii) {
    EXPECT_LT(icompare("zoe", "\xc3\x89mile"), 0);  // É (U+00C9) after every ASCII letter
    EXPECT_LT(icompare("a_b", "a~b"), 0);
}

TEST(AsciiCase, ToLowerCopyLeavesNonLettersAlone) {
    EXPECT_EQ(to_lower_copy("6F9619FF-8B86-D011-B42D-00C04FC964FF"),
              "6f9619ff-8b86-d011-b42d-00c04fc964ff");
    EXPECT_EQ(to_lower_copy("Ab\xc3\x84"), "ab\xc3\x84");
}

}  // namespace
}  // namespace scimldap::ascii
