// The filter builder (RFC 4515): values are escaped, parts are joined, and the degenerate
// joins stay valid filters.
#include "base/filter_builder.hpp"

#include <gtest/gtest.h>

namespace scimldap::ldap::filters {
namespace {

TEST(FilterBuilder, AnEqualityEscapesTheSpecialCharactersOfItsValue) {
    EXPECT_EQ(equal("cn", "a*(b)\\c").str(), "(cn=a\\2a\\28b\\29\\5cc)");
    EXPECT_EQ(equal("cn", std::string("x\0y", 3)).str(), "(cn=x\\00y)");
}

TEST(FilterBuilder, SubstringsEscapeTheValueAndKeepTheirOwnWildcards) {
    EXPECT_EQ(contains("mail", "*@x").str(), "(mail=*\\2a@x*)");
    EXPECT_EQ(starts_with("uid", "a)").str(), "(uid=a\\29*)");
    EXPECT_EQ(ends_with("uid", "(z").str(), "(uid=*\\28z)");
}

TEST(FilterBuilder, OrderingAndPresence) {
    EXPECT_EQ(at_least("employeeNumber", "10").str(), "(employeeNumber>=10)");
    EXPECT_EQ(at_most("employeeNumber", "1*").str(), "(employeeNumber<=1\\2a)");
    EXPECT_EQ(present("manager").str(), "(manager=*)");
}

TEST(FilterBuilder, JoinsWrapTwoOrMorePartsAndReturnOnePartAsItIs) {
    const filter a = equal("a", "1");
    const filter b = equal("b", "2");
    EXPECT_EQ(all_of({a, b}).str(), "(&(a=1)(b=2))");
    EXPECT_EQ(any_of({a, b}).str(), "(|(a=1)(b=2))");
    EXPECT_EQ(all_of({a}).str(), "(a=1)");
    EXPECT_EQ(negation(a).str(), "(!(a=1))");
}

TEST(FilterBuilder, EmptyJoinsAreTheConstantFilters) {
    EXPECT_EQ(all_of({}).str(), "(objectClass=*)");
    EXPECT_EQ(any_of({}).str(), "(!(objectClass=*))");
}

TEST(FilterBuilder, AValuesReturnFilterIsAParenthesisedListOfItems) {
    EXPECT_EQ(values_return({equal("member", "cn=a,o=x"), present("cn")}),
              "((member=cn=a,o=x)(cn=*))");
}

}  // namespace
}  // namespace scimldap::ldap::filters
