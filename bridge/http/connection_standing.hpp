// Whether a connection may be evicted to make room for a new one when the cap is reached.
#pragma once

#include <atomic>
#include <cstdint>

namespace scimldap::http {

/// A connection's standing, shared by its session (which moves it along) and the listener
/// (which picks a connection to evict). A connection that has not yet completed a request with a
/// valid token is *unproven*: when the cap is reached, the oldest unproven connection that is
/// not running a request makes room for the new one (see docs/architecture.md, "connection
/// cap"). The state is atomic because the listener and the session run on different threads;
/// reading() belongs to the session's own executor.
class connection_standing {
public:
    /// The listener: takes this connection's slot unless it is proven, running a request or
    /// already evicted. True when it did; the session is then to be ended.
    bool try_evict() {
        state expected = state::unproven;
        return state_.compare_exchange_strong(expected, state::evicted);
    }

    /// The session: a whole request has arrived. False when the connection was evicted first:
    /// the request is answered 503 and the connection closed.
    bool try_begin_request() {
        state expected = state::unproven;
        return state_.compare_exchange_strong(expected, state::busy) || expected == state::proven;
    }

    /// The session: the request's answer is written. A request with a valid token proves the
    /// connection for the rest of its life (a proven one stays proven).
    void end_request(bool authenticated) {
        state expected = state::busy;
        state_.compare_exchange_strong(expected, authenticated ? state::proven : state::unproven);
    }

    /// The session: the connection will serve nothing more (it lingers before closing), so it
    /// is the first to go when room is needed.
    void retire() {
        state current = state_.load();
        while (current != state::evicted &&
               !state_.compare_exchange_weak(current, state::unproven)) {
        }
    }

    [[nodiscard]] bool evicted() const { return state_.load() == state::evicted; }

    /// Whether the session is waiting for input (a request, its rest, or lingering), where an
    /// eviction may cancel it. Only read and written on the session's executor.
    [[nodiscard]] bool reading() const { return reading_; }
    void set_reading(bool r) { reading_ = r; }

private:
    enum class state : std::uint8_t { unproven, busy, proven, evicted };
    std::atomic<state> state_{state::unproven};
    bool reading_ = true;
};

}  // namespace scimldap::http
