// Semi-synchronous replication (bridge/ldap/write_confirmer): a request's writes are confirmed
// once another URI's contextCSN covers what the target held after them; not when no other
// answers or none catches up in time; lost when the target goes before another has them.
#include "bridge/ldap/write_confirmer.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <optional>
#include <vector>

namespace scimldap::ldap {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr const char* early = "20261207135218.000001Z#000000#001#000000";
constexpr const char* late = "20261207135218.000002Z#000000#001#000000";

server_csns held(const char* csn) {
    server_csns s{server_csns::state::held, {}};
    s.csns.add("dc=example,dc=org", {csn});
    return s;
}

const server_csns down{server_csns::state::down, {}};
const server_csns silent{server_csns::state::silent, {}};
const server_csns unknown{server_csns::state::unknown, {}};

/// Two providers whose contextCSNs the test sets; the target is provider 0.
struct two_providers {
    asio::io_context io;
    std::map<std::size_t, server_csns> servers{{0, held(late)}, {1, held(early)}};
    std::map<std::size_t, int> reads;
    std::shared_ptr<write_confirmer> confirmer;

    explicit two_providers(std::chrono::milliseconds limit = 2s) {
        confirmer = std::make_shared<write_confirmer>(
            asio::make_strand(io.get_executor()), 2, [] { return std::size_t{0}; },
            [this](std::size_t i) { return read(i); },
            [this](std::size_t i, search_request) { return find(i); }, limit, 1ms);
    }

    /// Provider i holds the created entry (true), lacks it, or cannot be asked (nullopt).
    std::map<std::size_t, std::optional<bool>> holds_created{{0, true}, {1, true}};
    asio::awaitable<std::optional<bool>> find(std::size_t i) { co_return holds_created[i]; }

    asio::awaitable<server_csns> read(std::size_t i) {
        ++reads[i];
        co_return servers[i];
    }

    /// One request's confirmation, once io has run (nullopt: not answered).
    std::optional<replication> confirm_one(std::chrono::milliseconds run_for = 5s,
                                           std::optional<search_request> created = {}) {
        std::optional<replication> outcome;
        io.restart();  // after an earlier run ran out of work
        asio::co_spawn(io, confirmer->confirm(std::move(created)),
                       [&](std::exception_ptr, replication r) { outcome = r; });
        io.run_for(run_for);
        return outcome;
    }

    /// After `delay`, provider i holds `now`.
    void later(std::chrono::milliseconds delay, std::size_t i, server_csns now) {
        auto timer = std::make_shared<asio::steady_timer>(io, delay);
        timer->async_wait([this, timer, i, now](boost::system::error_code) { servers[i] = now; });
    }
};

TEST(WriteConfirmer, WritesAnotherProviderHoldsAreConfirmed) {
    two_providers p;
    p.servers[1] = held(late);
    EXPECT_EQ(p.confirm_one(), replication::confirmed);
}

TEST(WriteConfirmer, TheRequestWaitsUntilTheOtherProviderCatchesUp) {
    two_providers p;
    p.later(30ms, 1, held(late));
    EXPECT_EQ(p.confirm_one(), replication::confirmed);
    EXPECT_GT(p.reads[1], 1);  // read again until it held the mark
}

TEST(WriteConfirmer, AProviderThatNeverCatchesUpLeavesTheWritesUnconfirmedAtTheLimit) {
    two_providers p(40ms);
    EXPECT_EQ(p.confirm_one(), replication::unconfirmed);
    EXPECT_FALSE(p.confirmer->running());
}

TEST(WriteConfirmer, WithNoOtherProviderAnsweringTheWritesAreUnconfirmedAtOnce) {
    two_providers p(10s);  // were it waited for, the test would take 10 s
    p.servers[1] = down;
    EXPECT_EQ(p.confirm_one(), replication::unconfirmed);
    EXPECT_EQ(p.reads[1], 1);
}

TEST(WriteConfirmer, ASilentProviderIsWaitedForUntilTheLimit) {
    two_providers p(40ms);
    p.servers[1] = silent;
    EXPECT_EQ(p.confirm_one(), replication::unconfirmed);
    EXPECT_GT(p.reads[1], 1);  // asked again in every round
}

TEST(WriteConfirmer, ATargetThatStopsAnsweringBeforeTheOtherHasTheWritesLosesThem) {
    two_providers p;
    p.later(20ms, 0, down);
    EXPECT_EQ(p.confirm_one(), replication::source_lost);
}

TEST(WriteConfirmer, ATargetThatDoesNotAnswerAtAllLosesTheWrites) {
    two_providers p;
    p.servers[0] = down;
    p.servers[1] = held(late);
    EXPECT_EQ(p.confirm_one(), replication::source_lost);
}

TEST(WriteConfirmer, ATargetThatFallsSilentLosesTheWritesAtTheLimit) {
    two_providers p(40ms);
    p.later(10ms, 0, silent);
    EXPECT_EQ(p.confirm_one(), replication::source_lost);
}

TEST(WriteConfirmer, ATargetNotAskedYetIsAskedAgainNotTakenAsLost) {
    two_providers p;
    p.servers[0] = unknown;  // found down a moment ago: not asked for now
    p.servers[1] = held(late);
    p.later(20ms, 0, held(late));
    EXPECT_EQ(p.confirm_one(), replication::confirmed);
}

TEST(WriteConfirmer, ATargetShowingNoContextCsnConfirmsNothing) {
    two_providers p;
    p.servers[0] = server_csns{server_csns::state::held, {}};
    p.servers[1] = held(late);
    EXPECT_EQ(p.confirm_one(), replication::unconfirmed);
}

TEST(WriteConfirmer, ACreatedEntryTheOtherProviderLacksIsAConflict) {
    two_providers p;
    p.servers[1] = held(late);
    p.holds_created[1] = false;  // it holds everything provider 0 held, but not this entry
    EXPECT_EQ(p.confirm_one(5s, search_request{}), replication::conflict);
}

TEST(WriteConfirmer, ACreatedEntryTheOtherProviderHoldsIsConfirmed) {
    two_providers p;
    p.servers[1] = held(late);
    EXPECT_EQ(p.confirm_one(5s, search_request{}), replication::confirmed);
    p.holds_created[1] = std::nullopt;  // could not be asked: not taken as a conflict
    EXPECT_EQ(p.confirm_one(5s, search_request{}), replication::confirmed);
}

TEST(WriteConfirmer, ConcurrentRequestsShareTheirReads) {
    two_providers p;
    p.later(20ms, 1, held(late));
    std::vector<std::optional<replication>> outcomes(100);
    for (auto& o : outcomes) {
        asio::co_spawn(p.io, p.confirmer->confirm(),
                       [&o](std::exception_ptr, replication r) { o = r; });
    }
    p.io.run();
    for (const auto& o : outcomes) {
        EXPECT_EQ(o, replication::confirmed);
    }
    // One read of each server per round, whatever the number of requests waiting.
    EXPECT_LE(p.reads[0], p.reads[1] + 1);
    EXPECT_LT(p.reads[1], 100);
}

TEST(WriteConfirmer, StoppingAnswersTheWaitingRequests) {
    two_providers p(10s);
    std::optional<replication> outcome;
    asio::co_spawn(p.io, p.confirmer->confirm(),
                   [&](std::exception_ptr, replication r) { outcome = r; });
    asio::steady_timer stop(p.io, 20ms);
    stop.async_wait([&](boost::system::error_code) { p.confirmer->stop(); });
    p.io.run_for(5s);
    EXPECT_EQ(outcome, replication::unconfirmed);
    EXPECT_FALSE(p.confirmer->running());
}

}  // namespace
}  // namespace scimldap::ldap
