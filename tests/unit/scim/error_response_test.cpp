#include "bridge/scim/error_response.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace scimldap::scim {
namespace {

boost::json::object body_of(const http_response& res) {
    return boost::json::parse(res.body()).as_object();
}

TEST(ErrorResponse, BodyHasTheErrorSchemaStatusStringScimTypeAndDetail) {
    const http_response res =
        error_response({errc::invalid_filter, "unknown attribute 'foo' at position 0"});
    EXPECT_EQ(res.result_int(), 400u);
    EXPECT_EQ(res[boost::beast::http::field::content_type], "application/scim+json");
    const auto body = body_of(res);
    ASSERT_EQ(body.at("schemas").as_array().size(), 1u);
    EXPECT_EQ(body.at("schemas").as_array()[0].as_string(),
              "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_TRUE(body.at("status").is_string());
    EXPECT_EQ(body.at("status").as_string(), "400");
    EXPECT_EQ(body.at("scimType").as_string(), "invalidFilter");
    EXPECT_EQ(body.at("detail").as_string(), "unknown attribute 'foo' at position 0");
}

TEST(ErrorResponse, DetailQuotingBytesThatAreNotUtf8IsStillJson) {
    // Found by the http_request fuzzer: a 415 quotes the Content-Type header, whose value may
    // hold any octet (RFC 9110 obs-text); JSON text must be UTF-8 (RFC 8259 §8.1).
    const http_response res =
        error_response({errc::unsupported_media_type, "not 'application/scim\xff+json\xe2\x82'"});
    boost::system::error_code ec;
    const auto body = boost::json::parse(res.body(), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(body.at("detail").as_string(),
              "not 'application/scim\xef\xbf\xbd+json\xef\xbf\xbd\xef\xbf\xbd'");
}

TEST(ErrorResponse, DetailKeepsWellFormedUtf8) {
    const auto body =
        body_of(error_response({errc::not_found, "no user 'Jos\xc3\xa9 \xf0\x9f\x98\x80'"}));
    EXPECT_EQ(body.at("detail").as_string(), "no user 'Jos\xc3\xa9 \xf0\x9f\x98\x80'");
}

TEST(ErrorResponse, ReasonWithoutScimTypeLeavesItOut) {
    const auto body = body_of(error_response({errc::not_found, "no such user"}));
    EXPECT_EQ(body.at("status").as_string(), "404");
    EXPECT_FALSE(body.contains("scimType"));
}

TEST(ErrorResponse, UnavailableCarriesRetryAfter) {
    const http_response res = error_response({errc::unavailable, "directory down", 7});
    EXPECT_EQ(res.result_int(), 503u);
    EXPECT_EQ(res[boost::beast::http::field::retry_after], "7");
}

TEST(ErrorResponse, UnavailableDefaultsRetryAfterToOneSecond) {
    const http_response res = error_response({errc::unavailable, "directory down"});
    EXPECT_EQ(res[boost::beast::http::field::retry_after], "1");
}

TEST(ErrorResponse, OtherErrorsHaveNoRetryAfter) {
    const http_response res = error_response({errc::internal, "boom"});
    EXPECT_EQ(res.result_int(), 500u);
    EXPECT_TRUE(res[boost::beast::http::field::retry_after].empty());
}

TEST(ErrorResponse, DetailIsJsonEscaped) {
    const auto body = body_of(error_response({errc::invalid_value, "bad \"value\"\n"}));
    EXPECT_EQ(body.at("detail").as_string(), "bad \"value\"\n");
}

TEST(ErrorResponse, HeaderTooLargeIs431) {
    EXPECT_EQ(error_response({errc::header_fields_too_large, "big"}).result_int(), 431u);
}

}  // namespace
}  // namespace scimldap::scim
