#include "bridge/http/access_log.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace scimldap::http {
namespace {

TEST(AccessLog, JsonFieldsParseAndNameTenantTokenStatusAndLdapOps) {
    exchange_info info{"0123456789abcdef", "acme", "okta", 3};
    const std::string fields = format_access(
        {info, "GET", "/scim/v2/Users?filter=x", 200, std::chrono::microseconds(2500)}, true);
    const auto line = boost::json::parse("{" + fields + "}").as_object();
    EXPECT_EQ(line.at("request_id").as_string(), "0123456789abcdef");
    EXPECT_EQ(line.at("tenant").as_string(), "acme");
    EXPECT_EQ(line.at("token").as_string(), "okta");
    EXPECT_EQ(line.at("target").as_string(), "/scim/v2/Users?filter=x");
    EXPECT_EQ(line.at("status").as_int64(), 200);
    EXPECT_EQ(line.at("ldap_ops").as_int64(), 3);
    EXPECT_DOUBLE_EQ(line.at("duration_ms").as_double(), 2.5);
}

TEST(AccessLog, TextLineCarriesTheSameFacts) {
    exchange_info info{"0123456789abcdef", "acme", "okta", 3};
    const std::string line =
        format_access({info, "POST", "/scim/v2/Users", 201, std::chrono::milliseconds(12)}, false);
    EXPECT_EQ(line,
              "access id=0123456789abcdef tenant=acme token=okta POST /scim/v2/Users status=201 "
              "12.0ms ldap_ops=3");
}

}  // namespace
}  // namespace scimldap::http
