// The caps on large reads (bridge/scim/read_limiter) and the sharing of identical walks
// (bridge/scim/shared_walks), driven on one io_context.
#include "bridge/scim/read_limiter.hpp"
#include "bridge/scim/shared_walks.hpp"
#include "bridge/scim/sort_keys.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

namespace scimldap::scim {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

/// One read: who asks, for how much, how long it holds its turn; then what it got.
struct turn {
    std::string tenant;
    std::size_t units;
    std::chrono::milliseconds hold;
    std::optional<result<void>> outcome = std::nullopt;
};

asio::awaitable<void> take_turn(std::shared_ptr<read_limiter> limiter, turn& t) {
    auto permit = co_await limiter->acquire(t.tenant, t.units);
    if (!permit) {
        t.outcome = result<void>(permit.error());
        co_return;
    }
    t.outcome = result<void>();
    asio::steady_timer timer(co_await asio::this_coro::executor, t.hold);
    co_await timer.async_wait(asio::use_awaitable);
}

/// Starts the reads in order on one io_context under these caps and runs them to the end.
void run_turns(std::size_t total, std::size_t per_tenant, std::chrono::milliseconds wait,
               std::vector<turn>& turns) {
    asio::io_context io;
    auto limiter = std::make_shared<read_limiter>(read_caps{total, per_tenant, wait, "list walks"});
    for (auto& t : turns) {
        asio::co_spawn(io, take_turn(limiter, t), asio::detached);
    }
    io.run();
}

bool granted(const turn& t) {
    return t.outcome && t.outcome->has_value();
}

TEST(ReadLimiter, ReadOverTheTenantCapIsRefusedAfterTheQueueTimeout) {
    std::vector<turn> turns{{"a", 1, 300ms}, {"a", 1, 0ms}};
    run_turns(4, 1, 50ms, turns);
    EXPECT_TRUE(granted(turns[0]));
    ASSERT_TRUE(turns[1].outcome && !*turns[1].outcome);
    const auto& e = turns[1].outcome->error();
    EXPECT_EQ(e.code, errc::unavailable);
    EXPECT_EQ(e.retry_after_seconds, 1);
    EXPECT_NE(e.detail.find("too many list walks"), std::string::npos);
}

TEST(ReadLimiter, QueuedReadGetsTheTurnThatFrees) {
    std::vector<turn> turns{{"a", 1, 50ms}, {"b", 1, 0ms}};
    const auto start = std::chrono::steady_clock::now();
    run_turns(1, 1, 2000ms, turns);
    EXPECT_TRUE(granted(turns[0]));
    EXPECT_TRUE(granted(turns[1]));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);  // woken, not timed out
}

TEST(ReadLimiter, OtherTenantIsNotHeldUpByATenantAtItsCap) {
    // a's second read queues (and is refused); b's, started after it, goes at once.
    std::vector<turn> turns{{"a", 1, 300ms}, {"a", 1, 0ms}, {"b", 1, 0ms}};
    run_turns(3, 1, 100ms, turns);
    EXPECT_TRUE(granted(turns[0]));
    EXPECT_FALSE(granted(turns[1]));
    EXPECT_TRUE(granted(turns[2]));
}

TEST(ReadLimiter, UnitsCountAgainstTheCaps) {
    std::vector<turn> turns{{"a", 700, 300ms}, {"b", 300, 300ms}, {"c", 1, 0ms}};
    run_turns(1000, 1000, 50ms, turns);
    EXPECT_TRUE(granted(turns[0]));
    EXPECT_TRUE(granted(turns[1]));
    EXPECT_FALSE(granted(turns[2]));
}

TEST(SharedWalks, CallersOfOneKeyShareTheFirstCallersWalk) {
    asio::io_context io;
    shared_walks walks;
    int walked = 0;
    const shared_walks::walker walk = [&]() -> asio::awaitable<shared_walks::walk_result> {
        ++walked;
        asio::steady_timer t(co_await asio::this_coro::executor, 50ms);
        co_await t.async_wait(asio::use_awaitable);
        auto ids = std::make_shared<id_list>();
        ids->push_back("x");
        ids->push_back("y");
        co_return std::shared_ptr<const id_list>(ids);
    };
    std::vector<std::size_t> sizes;
    auto caller = [&]() -> asio::awaitable<void> {
        const std::string key = "tenant\nUser\n(objectClass=*)";
        auto r = co_await walks.run(key, walk);
        sizes.push_back(r ? (*r)->size() : 0);
    };
    for (int i = 0; i < 3; ++i) {
        asio::co_spawn(io, caller(), asio::detached);
    }
    io.run();
    EXPECT_EQ(walked, 1);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 2}));
    EXPECT_FALSE(walks.running("tenant\nUser\n(objectClass=*)"));
}

TEST(SortKeys, OrderBySortKeyCaseInsensitivelyThenById) {
    sort_keys keys;
    keys.add("id-3", "bob");
    keys.add("id-1", "Alice");
    keys.add("id-2", "bob");
    keys.sort(false, false);
    const auto ids = keys.ids();
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[0], "id-1");
    EXPECT_EQ(ids[1], "id-2");
    EXPECT_EQ(ids[2], "id-3");
    EXPECT_EQ(keys.added_as(0), 1u);
    keys.sort(false, true);
    EXPECT_EQ(keys.ids()[0], "id-2");  // descending by key; ties still by id
}

}  // namespace
}  // namespace scimldap::scim
