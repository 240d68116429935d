// Semi-synchronous replication: a write is answered once another provider holds it.
#pragma once

#include "base/ldap_types.hpp"
#include "bridge/ldap/context_csn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace scimldap::ldap {

/// What became of a request's writes by the time it is answered (ldap.confirm_writes).
enum class replication {
    off,          // no confirmation configured
    confirmed,    // another of ldap.uris holds everything the target held after the writes
    unconfirmed,  // the target holds them; no other provider answered, or none caught up in time
    source_lost,  // the target stopped answering before another provider had them
    conflict,     // the entry a create made is not on another provider that holds all the target
                  // held: a create of the same name through that provider won (replication)
};

/// The name used in metrics and logs: "confirmed", "unconfirmed", "source_lost", "conflict",
/// "off".
const char* replication_name(replication r);

/// One server's contextCSNs as the confirmer read them.
struct server_csns {
    enum class state {
        held,     // it answered: `csns` is what it holds (empty when it shows no contextCSN)
        silent,   // it took the connection but did not answer in time (frozen, overloaded)
        down,     // it refused or dropped the connection
        unknown,  // not asked: found down a moment ago, or the client is stopping
    };
    state answer = state::down;
    csn_set csns;
};

/// Confirms writes in batches: every request that asks, after its writes, joins the next batch;
/// a batch takes the target's contextCSN as its mark and is confirmed when another URI's
/// contextCSN covers the mark. One loop on the strand reads the CSNs for all waiting requests,
/// so the cost is a few base searches per round however many requests wait. Does not replicate
/// anything itself: it only watches the servers' own replication (docs/scale-out.md).
class write_confirmer : public std::enable_shared_from_this<write_confirmer> {
public:
    /// The contextCSNs of ldap.uris[i].
    using csn_reader = std::function<boost::asio::awaitable<server_csns>(std::size_t)>;
    /// Whether ldap.uris[i] holds an entry the search finds; nullopt when it could not be asked.
    using entry_finder =
        std::function<boost::asio::awaitable<std::optional<bool>>(std::size_t, search_request)>;

    /// uri_count: how many ldap.uris; target(): the one writes go to now; limit: how long a
    /// request waits at most; pace: the pause between rounds while batches wait.
    write_confirmer(boost::asio::strand<boost::asio::any_io_executor> strand, std::size_t uri_count,
                    std::function<std::size_t()> target, csn_reader read, entry_finder find,
                    std::chrono::milliseconds limit, std::chrono::milliseconds pace);

    /// From any executor, after a request's writes: resumes when they are confirmed, when the
    /// target is found gone without them elsewhere, or after the limit. `created`: the search
    /// for the entry the request created, asked of the provider that confirms (conflict).
    boost::asio::awaitable<replication> confirm(std::optional<search_request> created = {});

    /// Answers every waiting request (unconfirmed) and ends the loop.
    void stop();
    /// True while the loop runs (the client's stopped() waits for it).
    bool running() const;

private:
    struct waiter {
        waiter(boost::asio::strand<boost::asio::any_io_executor>& s, std::size_t target)
            : timer(s), source(target) {}
        boost::asio::steady_timer timer;  // expires at the limit; cancelled when answered
        std::size_t source;               // the target when the request asked: its writes' server
        bool source_answering = true;     // as of the last round: at the limit, silent → lost
        std::optional<search_request> created;
        std::optional<replication> outcome;
    };
    using waiter_ptr = std::shared_ptr<waiter>;
    /// Requests whose writes the target held when it showed `mark`.
    struct batch {
        std::size_t source;
        csn_set mark;
        std::vector<waiter_ptr> waiters;
    };

    static boost::asio::awaitable<replication> wait_on_strand(
        std::shared_ptr<write_confirmer> self, std::optional<search_request> created);
    /// The batch's requests, now that uris[by] covers their mark.
    boost::asio::awaitable<void> confirm_batch(batch& b, std::size_t by);
    static boost::asio::awaitable<void> loop(std::shared_ptr<write_confirmer> self);
    boost::asio::awaitable<void> round();
    boost::asio::awaitable<void> mark(std::vector<waiter_ptr> joining);
    /// Answers a waiter not answered yet (its timer wakes it).
    static void answer(waiter& w, replication outcome);
    static void answer(std::vector<waiter_ptr>& waiters, replication outcome);
    /// Every request waiting, unconfirmed (stop, or the loop's end).
    void answer_all_unconfirmed();
    bool idle() const;

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    std::size_t uri_count_;
    std::function<std::size_t()> target_;
    csn_reader read_;
    entry_finder find_;
    std::chrono::milliseconds limit_;
    std::chrono::milliseconds pace_;
    boost::asio::steady_timer pace_timer_;
    // On strand_ from here on.
    std::vector<waiter_ptr> joining_;  // asked since the last round read the target
    std::deque<batch> batches_;
    bool stopped_ = false;
    std::atomic<bool> running_{false};
};

}  // namespace scimldap::ldap
