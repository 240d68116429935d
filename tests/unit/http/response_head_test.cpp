// The status line and header block the session writes before a response body.
#include "bridge/http/response_head.hpp"

#include <gtest/gtest.h>

namespace scimldap::http {
namespace {

namespace bhttp = boost::beast::http;

TEST(ResponseHead, StatusLineFieldsAndBlankLine) {
    scim::http_response res{bhttp::status::created, 11};
    res.set(bhttp::field::content_type, "application/scim+json");
    res.set(bhttp::field::location, "http://h/scim/v2/Users/1");
    res.body() = R"({"id":"1"})";
    res.prepare_payload();
    EXPECT_EQ(response_head(res),
              "HTTP/1.1 201 Created\r\n"
              "Content-Type: application/scim+json\r\n"
              "Location: http://h/scim/v2/Users/1\r\n"
              "Content-Length: 10\r\n"
              "\r\n");
}

TEST(ResponseHead, OnlyTheFieldsPresentAreWrittenAndHttp10IsKept) {
    scim::http_response res{bhttp::status::no_content, 10};
    EXPECT_EQ(response_head(res), "HTTP/1.0 204 No Content\r\n\r\n");
}

TEST(ResponseHead, AnExplicitReasonWins) {
    scim::http_response res{bhttp::status::service_unavailable, 11};
    res.reason("Directory Unavailable");
    res.set(bhttp::field::retry_after, "5");
    EXPECT_EQ(response_head(res), "HTTP/1.1 503 Directory Unavailable\r\nRetry-After: 5\r\n\r\n");
}

}  // namespace
}  // namespace scimldap::http
