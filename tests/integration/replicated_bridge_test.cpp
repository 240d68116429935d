// The bridge over a replicated directory (docs/scale-out.md): ldap.uris names both providers of
// tests/support/replicated_slapd; every connection uses one of them at a time, moves to the
// other when it stops answering, and back when ldap.failback_after finds it answering again.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/replicated_slapd.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <iostream>
#include <memory>

namespace {

using namespace scimldap::testing;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace bhttp = boost::beast::http;

std::string user_dn(const std::string& uid) {
    return "uid=" + uid + ",ou=People,dc=example,dc=org";
}

class ReplicatedBridge : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        directory_ = new replicated_slapd();
        directory_->start();
        bridge_options options;
        options.ldap["uris"] =
            json::array{directory_->provider(1).uri(), directory_->provider(2).uri()};
        options.ldap["connect_timeout"] = "1s";
        options.ldap["operation_timeout"] = "2s";
        options.ldap["failback_after"] = "1s";
        bridge_ = new bridge_fixture(directory_->provider(1), options);
        bridge_->start();
    }
    static void TearDownTestSuite() {
        delete bridge_;
        bridge_ = nullptr;
        delete directory_;
        directory_ = nullptr;
    }
    void TearDown() override {
        if (!directory_->provider(1).running()) {
            directory_->provider(1).start();
        }
    }

    static http_reply create(const std::string& user_name) {
        return bridge_->request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                                R"({"userName": ")" + user_name + R"("})");
    }
    /// The URI /readyz names as the bridge's LDAP target ("" when not ready).
    static std::string target() {
        const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/readyz");
        if (r.status != 200) {
            return "";
        }
        const json::value body = r.json();
        const auto* ldap = body.as_object().if_contains("ldap");
        return ldap != nullptr ? std::string(ldap->as_string()) : "";
    }

    static replicated_slapd* directory_;
    static bridge_fixture* bridge_;
};
replicated_slapd* ReplicatedBridge::directory_ = nullptr;
bridge_fixture* ReplicatedBridge::bridge_ = nullptr;

TEST_F(ReplicatedBridge, TheFirstProviderTakesTheWritesAndReadyzNamesIt) {
    EXPECT_EQ(target(), directory_->provider(1).uri());
    ASSERT_EQ(create("cluster.first").status, 201u);
    EXPECT_TRUE(
        replicated_slapd::wait_for_entry(directory_->provider(2), user_dn("cluster.first")));
}

TEST_F(ReplicatedBridge, AKilledProviderMovesTheWritesToTheOtherWithinSeconds) {
    ASSERT_TRUE(eventually([] { return target() == directory_->provider(1).uri(); }, 10s));
    directory_->provider(1).kill();

    const auto start = std::chrono::steady_clock::now();
    int unavailable = 0;
    http_reply r;
    while (std::chrono::steady_clock::now() - start < 10s) {
        r = create("cluster.failover");
        if (r.status != 503) {
            break;
        }
        ++unavailable;
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cout << "[ measured ] writes on provider 2 after " << took.count() << " ms, "
              << unavailable << " answers 503 before\n";
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(target(), directory_->provider(2).uri());
    EXPECT_TRUE(ldap_admin(directory_->provider(2)).read(user_dn("cluster.failover")));

    directory_->provider(1).start();
    EXPECT_TRUE(
        replicated_slapd::wait_for_entry(directory_->provider(1), user_dn("cluster.failover")));
}

TEST_F(ReplicatedBridge, FailbackReturnsToTheFirstProviderOnceItAnswers) {
    ASSERT_TRUE(eventually([] { return target() == directory_->provider(1).uri(); }, 10s));
    directory_->provider(1).kill();
    ASSERT_TRUE(eventually(
        [] {
            (void)create("cluster.nudge");  // a request finds the lost connections at once
            return target() == directory_->provider(2).uri();
        },
        10s));
    directory_->provider(1).start();

    EXPECT_TRUE(eventually([] { return target() == directory_->provider(1).uri(); }, 10s));
    ASSERT_EQ(create("cluster.after").status, 201u);
    EXPECT_TRUE(ldap_admin(directory_->provider(1)).read(user_dn("cluster.after")));
}

}  // namespace
