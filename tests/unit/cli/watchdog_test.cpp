// sd_watchdog_enabled(3)'s rules for $WATCHDOG_USEC and $WATCHDOG_PID.
#include "bridge/cli/watchdog.hpp"

#include <gtest/gtest.h>

namespace scimldap::cli {
namespace {

using std::chrono::microseconds;

TEST(WatchdogInterval, UsecAloneAsksForPings) {
    EXPECT_EQ(watchdog_interval("30000000", nullptr, 42), microseconds(30'000'000));
}

TEST(WatchdogInterval, PidOfThisProcessAsksForPings) {
    EXPECT_EQ(watchdog_interval("5000000", "42", 42), microseconds(5'000'000));
}

TEST(WatchdogInterval, PidOfAnotherProcessDoesNot) {
    EXPECT_FALSE(watchdog_interval("5000000", "41", 42));
}

TEST(WatchdogInterval, AbsentZeroOrGarbledUsecDoesNot) {
    EXPECT_FALSE(watchdog_interval(nullptr, nullptr, 42));
    EXPECT_FALSE(watchdog_interval("0", nullptr, 42));
    EXPECT_FALSE(watchdog_interval("30s", nullptr, 42));
    EXPECT_FALSE(watchdog_interval("", nullptr, 42));
    EXPECT_FALSE(watchdog_interval("5000000", "x", 42));
}

}  // namespace
}  // namespace scimldap::cli
