// list_response: a page's resource texts become a ListResponse (RFC 7644 §3.4.2).
#include "bridge/scim/list_query.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace scimldap::scim {
namespace {

boost::json::object body_of(const http_response& r) {
    return boost::json::parse(r.body()).as_object();
}

TEST(ListResponse, CarriesTheCountsAndTheResourcesInOrder) {
    const auto r = list_response(5, 3, 2, R"({"id":"a"},{"id":"b"})");
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r[boost::beast::http::field::content_type], "application/scim+json");
    const auto body = body_of(r);
    EXPECT_EQ(body.at("schemas").at(0), "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    EXPECT_EQ(body.at("totalResults"), 5);
    EXPECT_EQ(body.at("startIndex"), 3);
    EXPECT_EQ(body.at("itemsPerPage"), 2);
    ASSERT_EQ(body.at("Resources").as_array().size(), 2u);
    EXPECT_EQ(body.at("Resources").at(1).at("id"), "b");
}

TEST(ListResponse, AnEmptyPageHasAnEmptyResourcesArray) {
    const auto body = body_of(list_response(0, 1, 0, ""));
    EXPECT_EQ(body.at("totalResults"), 0);
    EXPECT_EQ(body.at("itemsPerPage"), 0);
    EXPECT_TRUE(body.at("Resources").as_array().empty());
}

TEST(ListResponse, CountZeroGivesTheTotalOnly) {
    const auto body = body_of(list_response(1234, 1, 0, ""));
    EXPECT_EQ(body.at("totalResults"), 1234);
    EXPECT_TRUE(body.at("Resources").as_array().empty());
}

}  // namespace
}  // namespace scimldap::scim
