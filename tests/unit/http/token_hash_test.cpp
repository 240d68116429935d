#include "bridge/auth/token_hash.hpp"

#include <gtest/gtest.h>

namespace scimldap::auth {
namespace {

// FIPS 180-2 / NIST test vectors.
TEST(TokenHash, EmptyStringHasTheKnownSha256) {
    EXPECT_EQ(hash_token(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(TokenHash, AbcHasTheKnownSha256) {
    EXPECT_EQ(hash_token("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenHash, PangramHasTheKnownSha256) {
    EXPECT_EQ(hash_token("The quick brown fox jumps over the lazy dog"),
              "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
}

TEST(ConstantTimeEqual, EqualStringsAreEqual) {
    EXPECT_TRUE(constant_time_equal(hash_token("abc"), hash_token("abc")));
}

TEST(ConstantTimeEqual, StringsDifferingInTheLastByteAreUnequal) {
    EXPECT_FALSE(constant_time_equal("abcdef", "abcdeg"));
}

TEST(ConstantTimeEqual, StringsDifferingInTheFirstByteAreUnequal) {
    EXPECT_FALSE(constant_time_equal("xbcdef", "abcdef"));
}

TEST(ConstantTimeEqual, DifferentLengthsAreUnequal) {
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("", "a"));
}

TEST(ConstantTimeEqual, EmptyStringsAreEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace scimldap::auth
