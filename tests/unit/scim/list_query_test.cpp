// startIndex and count as a list request sends them (bridge/scim/list_query.hpp): RFC 7644
// §3.4.2.4 lowers a count above the maximum to it and treats a negative one as 0.
#include "bridge/scim/list_query.hpp"

#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include <climits>
#include <filesystem>

namespace scimldap::scim {
namespace {

const mapping::resource_profile& users() {
    static const auto p = *mapping::load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                                  "mapping/profiles/openldap-inetorgperson.json")
                                                     .string());
    return p->user;
}

constexpr paging_limits limits{100, 1000};

result<list_query> from_query_string(const std::string& target) {
    const http_request req{boost::beast::http::verb::get, target, 11};
    const tenant_view tenant;
    const request_context ctx{req, *boost::urls::parse_origin_form(target), {}, tenant};
    return query_from_params(ctx, users(), limits);
}

result<list_query> from_search_body(std::string_view members) {
    const auto body = boost::json::parse(
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)" +
        std::string(members) + "}");
    return query_from_search_request(body, users(), limits);
}

TEST(ListQuery, CountBeyondIntIsLoweredToTheMaximum) {
    const auto q = from_query_string("/Users?count=99999999999");
    ASSERT_TRUE(q) << q.error().detail;
    EXPECT_EQ(q->count, 1000);
}

TEST(ListQuery, NegativeCountBeyondIntIsZero) {
    const auto q = from_query_string("/Users?count=-99999999999");
    ASSERT_TRUE(q) << q.error().detail;
    EXPECT_EQ(q->count, 0);
}

TEST(ListQuery, StartIndexBeyondIntIsAcceptedAsThePastTheEnd) {
    const auto q = from_query_string("/Users?startIndex=99999999999");
    ASSERT_TRUE(q) << q.error().detail;
    EXPECT_EQ(q->start_index, INT_MAX);
}

TEST(ListQuery, NonNumericCountIs400InvalidValue) {
    for (const char* target :
         {"/Users?count=ten", "/Users?count=99999999999x", "/Users?count=1.5"}) {
        const auto q = from_query_string(target);
        ASSERT_FALSE(q) << target;
        EXPECT_EQ(q.error().code, errc::invalid_value) << target;
    }
}

TEST(ListQuery, SearchRequestCountBeyondEveryIntegerTypeIsLoweredToTheMaximum) {
    for (const char* count :
         {"99999999999", "99999999999999999999999", "\"99999999999\"", "1e30"}) {
        const auto q = from_search_body(std::string(R"("count":)") + count);
        ASSERT_TRUE(q) << count << ": " << q.error().detail;
        EXPECT_EQ(q->count, 1000) << count;
    }
}

TEST(ListQuery, SearchRequestNegativeCountIsZero) {
    const auto q = from_search_body(R"("count":-99999999999999999999999)");
    ASSERT_TRUE(q) << q.error().detail;
    EXPECT_EQ(q->count, 0);
}

TEST(ListQuery, SearchRequestFractionalOrTextCountIs400InvalidValue) {
    for (const char* count : {"2.5", "\"ten\"", "true"}) {
        const auto q = from_search_body(std::string(R"("count":)") + count);
        ASSERT_FALSE(q) << count;
        EXPECT_EQ(q.error().code, errc::invalid_value) << count;
    }
}

}  // namespace
}  // namespace scimldap::scim
