// Per-tenant limits (issue 15): a burst over the rate gets 429 with Retry-After and a SCIM body,
// then succeeds after waiting that long; a tenant over its concurrency cap gets 429 while
// another tenant's requests go through. Assertions are on counts, never on times.
#include "bridge/scim/json_response.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

std::atomic<bool> held_entered{false};
std::atomic<bool> held_released{false};

/// default: 2 requests a second, bursts of 3. classlark: one request at a time.
class RateLimits : public bridge_suite<RateLimits> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.edit_config = [](json::object& config) {
            auto& tenants = config["tenants"].as_array();
            tenants[0].as_object()["limits"] =
                json::object{{"requests_per_second", 2}, {"burst", 3}};
            tenants[1].as_object()["limits"] = json::object{{"max_concurrent", 1}};
        };
        return o;
    }
    // A request that stays in flight until the test releases it.
    static void add_routes(scim::router& routes) {
        routes.add(bhttp::verb::get, "/Hold",
                   [](scim::request_context&) -> boost::asio::awaitable<scim::http_response> {
                       held_entered = true;
                       boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
                       while (!held_released) {
                           tick.expires_after(5ms);
                           co_await tick.async_wait(boost::asio::use_awaitable);
                       }
                       co_return scim::json_response(200, json::value{{"held", "done"}});
                   });
    }

protected:
    static http_reply list_users(const std::string& token) {
        return bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", token);
    }
};

TEST_F(RateLimits, ABurstOverTheRateGets429WithRetryAfterThenSucceedsAfterIt) {
    std::this_thread::sleep_for(1600ms);  // a full bucket, whatever ran before
    int ok = 0;
    int limited = 0;
    http_reply refusal;
    for (int i = 0; i < 8; ++i) {
        const auto r = list_users(bridge_fixture::default_token);
        if (r.status == 200) {
            ++ok;
        } else if (r.status == 429) {
            ++limited;
            refusal = r;
        }
    }
    // 3 saved up, and perhaps one more refilled while the others were answered.
    EXPECT_GE(ok, 3);
    EXPECT_LE(ok, 4);
    EXPECT_EQ(ok + limited, 8);
    ASSERT_EQ(refusal.status, 429u);
    EXPECT_EQ(refusal.header("retry-after"), "1");
    const auto body = refusal.json().as_object();
    EXPECT_EQ(body.at("status"), "429");
    EXPECT_NE(std::string(body.at("detail").as_string()).find("default"), std::string::npos);

    std::this_thread::sleep_for(1s);  // as Retry-After said
    EXPECT_EQ(list_users(bridge_fixture::default_token).status, 200u);
}

TEST_F(RateLimits, ATenantOverItsRateDoesNotLimitAnother) {
    for (int i = 0; i < 8; ++i) {
        list_users(bridge_fixture::default_token);  // default is over its rate now
    }
    ASSERT_EQ(list_users(bridge_fixture::default_token).status, 429u);
    int ok = 0;
    for (int i = 0; i < 10; ++i) {
        ok += list_users(bridge_fixture::classlark_token).status == 200 ? 1 : 0;
    }
    EXPECT_EQ(ok, 10);
}

TEST_F(RateLimits, OverTheConcurrencyCapIs429WhileAnotherTenantIsServed) {
    std::this_thread::sleep_for(1600ms);
    held_entered = false;
    held_released = false;
    auto held = std::async(std::launch::async, [] {
        return bridge_->request(bhttp::verb::get, "/scim/v2/Hold", bridge_fixture::classlark_token);
    });
    ASSERT_TRUE(eventually([] { return held_entered.load(); }));

    const auto second = list_users(bridge_fixture::classlark_token);
    EXPECT_EQ(second.status, 429u) << second.body;
    EXPECT_EQ(second.header("retry-after"), "1");
    EXPECT_EQ(list_users(bridge_fixture::default_token).status, 200u);

    held_released = true;
    EXPECT_EQ(held.get().status, 200u);
    EXPECT_EQ(list_users(bridge_fixture::classlark_token).status, 200u);
}

}  // namespace
}  // namespace scimldap::testing
