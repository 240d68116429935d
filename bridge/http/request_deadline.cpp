#include "bridge/http/request_deadline.hpp"

namespace scimldap::http {

request_deadline::request_deadline(boost::asio::any_io_executor executor)
    : state_(std::make_shared<state>(std::move(executor))) {}

boost::asio::cancellation_slot request_deadline::arm(std::chrono::steady_clock::time_point deadline,
                                                     boost::asio::cancellation_slot outer) {
    state_->expired = false;
    state_->outer = outer;
    if (outer.is_connected()) {
        outer.assign([s = state_](boost::asio::cancellation_type type) { s->signal.emit(type); });
    }
    const std::uint64_t generation = ++state_->generation;
    state_->timer.expires_at(deadline);
    // The callback runs on the connection's executor, like the handler it cancels. A wait that
    // already completed when the next request re-armed the timer is recognised by generation.
    state_->timer.async_wait([s = state_, generation](const boost::system::error_code& ec) {
        if (!ec && generation == s->generation) {
            s->expired = true;
            s->signal.emit(boost::asio::cancellation_type::terminal);
        }
    });
    return state_->signal.slot();
}

void request_deadline::disarm() {
    if (state_->outer.is_connected()) {
        state_->outer.clear();
    }
    state_->outer = {};
    ++state_->generation;
    state_->timer.cancel();
}

}  // namespace scimldap::http
