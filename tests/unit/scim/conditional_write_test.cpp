// What a conditional write that lost a race answers (RFC 7232 §3.1, RFC 4528).
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/ldap_error_map.hpp"

#include <gtest/gtest.h>
#include <ldap.h>

namespace scimldap::scim {
namespace {

error failed_write(int code) {
    return from_ldap({ldap::make_error(code), "", ""}, {"replace", ""});
}

TEST(LostRace, AFailedAssertionWithoutIfMatchIsRetried) {
    bool retry = false;
    const error e = lost_race(failed_write(LDAP_ASSERTION_FAILED), false, retry);
    EXPECT_TRUE(retry);
    EXPECT_EQ(e.code, errc::precondition_failed);
}

TEST(LostRace, AConcurrentRenameWithoutIfMatchIsRetried) {
    bool retry = false;
    lost_race(failed_write(LDAP_NO_SUCH_OBJECT), false, retry);
    EXPECT_TRUE(retry);
}

TEST(LostRace, WithIfMatchTheEntryGoneUnderItsNameIs412NotRetried) {
    bool retry = true;
    const error e = lost_race(failed_write(LDAP_NO_SUCH_OBJECT), true, retry);
    EXPECT_FALSE(retry);
    EXPECT_EQ(e.code, errc::precondition_failed);
}

TEST(LostRace, AnyOtherFailureIsAnsweredAsItIs) {
    bool retry = true;
    const error e = lost_race(failed_write(LDAP_CONSTRAINT_VIOLATION), false, retry);
    EXPECT_FALSE(retry);
    EXPECT_EQ(e.code, errc::invalid_value);
}

TEST(LostRace, AnErrorNotFromTheDirectoryIsNeverRetried) {
    bool retry = true;
    lost_race(error{errc::internal, "x"}, false, retry);
    EXPECT_FALSE(retry);
}

http_request with_header(boost::beast::http::field field, std::string value) {
    http_request req;
    req.set(field, value);
    return req;
}

TEST(EtagCondition, AStarMatchesAnyExistingVersionButNoResource) {
    const auto c = etag_condition_of(with_header(boost::beast::http::field::if_match, "*"),
                                     boost::beast::http::field::if_match);
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->matches("20261207#1"));
    EXPECT_FALSE(c->matches(std::nullopt));
}

TEST(EtagCondition, AListMatchesAnyOfItsTagsWeakOrStrong) {
    const auto c = etag_condition_of(
        with_header(boost::beast::http::field::if_none_match, R"("a,b", W/"v2" , W/"v3")"),
        boost::beast::http::field::if_none_match);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->versions, (std::vector<std::string>{"a,b", "v2", "v3"}));
    EXPECT_TRUE(c->matches("v3"));
    EXPECT_TRUE(c->matches("a,b")) << "a comma inside the quotes belongs to the tag";
    EXPECT_FALSE(c->matches("v1"));
}

TEST(EtagCondition, AnAbsentOrEmptyHeaderIsNoCondition) {
    const http_request none;
    EXPECT_FALSE(etag_condition_of(none, boost::beast::http::field::if_match));
    EXPECT_FALSE(etag_condition_of(with_header(boost::beast::http::field::if_match, " "),
                                   boost::beast::http::field::if_match));
}

}  // namespace
}  // namespace scimldap::scim
