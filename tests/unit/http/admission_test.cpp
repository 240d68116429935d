// Per-tenant admission (RFC 6585 §4): the token bucket's arithmetic and the concurrency cap,
// with the clock given. The HTTP side is in tests/integration/rate_limits_test.cpp.
#include "bridge/http/admission.hpp"

#include <gtest/gtest.h>

namespace scimldap::http {
namespace {

using namespace std::chrono_literals;
using clock = token_bucket::clock;

mapping::config with_limits(mapping::tenant_limits limits) {
    mapping::config c;
    mapping::tenant_settings limited;
    limited.name = "acme";
    limited.limits = limits;
    mapping::tenant_settings free;
    free.name = "other";
    c.tenants.push_back(limited);
    c.tenants.push_back(free);
    return c;
}

TEST(TokenBucket, ABurstIsServedThenTheNextWaitsForItsToken) {
    const auto t0 = clock::now();
    token_bucket bucket(2, 3, t0);
    EXPECT_FALSE(bucket.take(t0));
    EXPECT_FALSE(bucket.take(t0));
    EXPECT_FALSE(bucket.take(t0));
    const auto wait = bucket.take(t0);
    ASSERT_TRUE(wait);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(*wait), 500ms);
}

TEST(TokenBucket, TokensComeBackAtTheRateUpToTheBurst) {
    const auto t0 = clock::now();
    token_bucket bucket(2, 3, t0);
    for (int i = 0; i < 3; ++i) {
        ASSERT_FALSE(bucket.take(t0));
    }
    EXPECT_FALSE(bucket.take(t0 + 500ms));  // one token back after half a second
    EXPECT_TRUE(bucket.take(t0 + 500ms));
    // An hour idle saves up the burst, no more.
    const auto later = t0 + 1h;
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(bucket.take(later));
    }
    EXPECT_TRUE(bucket.take(later));
}

TEST(Admission, OverTheRateIs429WithRetryAfterInWholeSeconds) {
    admission a(with_limits({.requests_per_second = 1, .burst = 1}));
    const auto t0 = clock::now();
    ASSERT_TRUE(a.admit("acme", t0));
    const auto refused = a.admit("acme", t0);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, scim::errc::too_many_requests);
    EXPECT_EQ(refused.error().retry_after_seconds, 1);
    EXPECT_NE(refused.error().detail.find("acme"), std::string::npos);
    EXPECT_TRUE(a.admit("acme", t0 + 1s));
}

TEST(Admission, ATenantWithoutLimitsIsAlwaysAdmitted) {
    admission a(with_limits({.requests_per_second = 1, .burst = 1}));
    const auto t0 = clock::now();
    ASSERT_TRUE(a.admit("acme", t0));
    ASSERT_FALSE(a.admit("acme", t0));
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(a.admit("other", t0));
    }
}

TEST(Admission, TheConcurrencyCapCountsTicketsHeld) {
    admission a(with_limits({.max_concurrent = 2}));
    auto first = a.admit("acme");
    auto second = a.admit("acme");
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    const auto third = a.admit("acme");
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, scim::errc::too_many_requests);
    { const admission::ticket done = std::move(*first); }  // the first request finishes
    EXPECT_TRUE(a.admit("acme"));
}

}  // namespace
}  // namespace scimldap::http
