#include "bridge/http/audit_log.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace scimldap::http {
namespace {

TEST(AuditLog, LineNamesWhoWhatWhereAndTheResult) {
    exchange_info info{"0123456789abcdef", "acme", "okta", 2};
    info.endpoint = "/Users/{id}";
    info.audit.open("User", "abc-1", {});
    info.audit.found(ldap::dn("uid=alice,ou=People,dc=example,dc=org"), "abc-1");
    info.audit.finish(info.audit.remove(ldap::dn("uid=alice,ou=People,dc=example,dc=org")), 0);
    const auto time = std::chrono::sys_days(std::chrono::year(2026) / 12 / 7) +
                      std::chrono::hours(5) + std::chrono::milliseconds(1234);

    const auto line =
        boost::json::parse(
            format_audit({info, "DELETE", "203.0.113.9", "127.0.0.1", 204, time}, info.audit))
            .as_object();
    EXPECT_EQ(line.at("time"), "2026-12-07T05:00:01.234Z");
    EXPECT_EQ(line.at("request_id"), "0123456789abcdef");
    EXPECT_EQ(line.at("tenant"), "acme");
    EXPECT_EQ(line.at("token"), "okta");
    EXPECT_EQ(line.at("client"), "127.0.0.1");
    EXPECT_EQ(line.at("forwarded_for"), "203.0.113.9");
    EXPECT_EQ(line.at("method"), "DELETE");
    EXPECT_EQ(line.at("endpoint"), "/Users/{id}");
    EXPECT_EQ(line.at("status"), 204);
    EXPECT_EQ(line.at("resource_type"), "User");
    EXPECT_EQ(line.at("id"), "abc-1");
    EXPECT_EQ(line.at("dn"), "uid=alice,ou=People,dc=example,dc=org");
    EXPECT_EQ(line.at("operations").as_array().at(0).at("op"), "delete");
    EXPECT_EQ(line.at("ldap_result"), "success");
}

TEST(AuditLog, ARefusedCreateHasNoIdNoDnAndNoOperation) {
    exchange_info info{"0123456789abcdef", "acme", "okta", 0};
    info.endpoint = "/Users";
    info.audit.open("User", "", {});
    const auto line = boost::json::parse(format_audit({info, "POST", "", "127.0.0.1", 400,
                                                       std::chrono::system_clock::now()},
                                                      info.audit))
                          .as_object();
    EXPECT_EQ(line.at("status"), 400);
    EXPECT_EQ(line.at("id"), nullptr);
    EXPECT_EQ(line.at("dn"), nullptr);
    EXPECT_TRUE(line.at("operations").as_array().empty());
    EXPECT_FALSE(line.contains("forwarded_for"));
    EXPECT_FALSE(line.contains("ldap_result"));
}

}  // namespace
}  // namespace scimldap::http
