// Tracks live connections so shutdown can cancel them and wait until they are gone.
#pragma once

#include "bridge/http/connection_standing.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace scimldap::http {

/// The set of running sessions. Thread-safe; a session's signal is only touched on its strand.
class session_registry {
public:
    /// One registered session: its strand and the signal bound to its coroutine.
    struct ticket {
        explicit ticket(boost::asio::any_io_executor e) : executor(std::move(e)) {}
        boost::asio::any_io_executor executor;
        boost::asio::cancellation_signal signal;
        bool alive = true;  // false once the coroutine finished (read/written on the strand)
        connection_standing standing;
    };

    std::shared_ptr<ticket> add(boost::asio::any_io_executor executor);
    /// Called on the session's strand when its coroutine has finished.
    void remove(const std::shared_ptr<ticket>& t);
    std::size_t size() const;
    /// Sessions that hold a slot: all but those evicted and still unwinding.
    std::size_t admitted() const;

    /// Evicts the oldest unproven session that is not running a request: its slot is free at
    /// once, and it is cancelled on its strand unless its request arrived meanwhile (then it
    /// answers 503). False when every session is proven or busy.
    bool evict_oldest_unproven();

    /// Emits type on every live session, each on its own strand (signals are not thread-safe).
    void cancel_all(boost::asio::cancellation_type type);

    /// Completes with true once no session is left, false when timeout passes first. Must be
    /// awaited from a strand (or a single-threaded executor).
    boost::asio::awaitable<bool> wait_empty(std::chrono::steady_clock::duration timeout);

private:
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<ticket>> tickets_;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace scimldap::http
