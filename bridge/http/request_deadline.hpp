// The request timeout of one connection: cancels the running handler when its deadline passes.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>

namespace scimldap::http {

/// One timer and one cancellation signal per connection, re-armed for each request.
///
/// Why not `handler() || timer.async_wait()`: that spawns two coroutines per request, and the
/// losing timer wait completes by throwing operation_aborted; the exception alone cost 6 % of
/// the server's CPU on the lookup path. Here the timer's completion is a plain callback that
/// emits terminal cancellation into the handler's slot, and a request that finishes in time
/// only cancels the wait.
class request_deadline {
public:
    explicit request_deadline(boost::asio::any_io_executor executor);

    /// Starts the clock for the next request; the returned slot is what the handler runs under.
    /// Cancellation arriving at `outer` (the connection's own: shutdown) is passed on to it too.
    boost::asio::cancellation_slot arm(std::chrono::steady_clock::time_point deadline,
                                       boost::asio::cancellation_slot outer);
    /// The request finished (either way); stops the clock and detaches from `outer`.
    void disarm();
    /// Whether the deadline of the current request has passed and cancelled it.
    [[nodiscard]] bool expired() const { return state_->expired; }

private:
    struct state {
        explicit state(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
        boost::asio::steady_timer timer;
        boost::asio::cancellation_signal signal;
        boost::asio::cancellation_slot outer;
        std::uint64_t generation = 0;
        bool expired = false;
    };
    // Shared with the pending wait's callback, which may run after the connection is gone.
    std::shared_ptr<state> state_;
};

}  // namespace scimldap::http
