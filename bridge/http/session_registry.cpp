#include "bridge/http/session_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace scimldap::http {

namespace asio = boost::asio;

std::shared_ptr<session_registry::ticket> session_registry::add(asio::any_io_executor executor) {
    auto t = std::make_shared<ticket>(std::move(executor));
    const std::lock_guard lock(mutex_);
    tickets_.push_back(t);
    return t;
}

void session_registry::remove(const std::shared_ptr<ticket>& t) {
    t->alive = false;
    const std::lock_guard lock(mutex_);
    tickets_.remove(t);
    if (!tickets_.empty()) {
        return;
    }
    for (const auto& w : waiters_) {
        // The timer belongs to the waiting coroutine's strand: cancel it there.
        asio::post(w->get_executor(), [w] { w->cancel(); });
    }
}

std::size_t session_registry::size() const {
    const std::lock_guard lock(mutex_);
    return tickets_.size();
}

std::size_t session_registry::admitted() const {
    const std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(
        tickets_.begin(), tickets_.end(), [](const auto& t) { return !t->standing.evicted(); }));
}

bool session_registry::evict_oldest_unproven() {
    const std::lock_guard lock(mutex_);
    // tickets_ is in the order of arrival: the oldest unproven connection has had the longest
    // to send a request and has not.
    const auto victim = std::find_if(tickets_.begin(), tickets_.end(),
                                     [](const auto& t) { return t->standing.try_evict(); });
    if (victim == tickets_.end()) {
        return false;
    }
    asio::post((*victim)->executor, [t = *victim] {
        if (t->alive && t->standing.reading()) {
            t->signal.emit(asio::cancellation_type::terminal);
        }
    });
    return true;
}

void session_registry::cancel_all(asio::cancellation_type type) {
    const std::lock_guard lock(mutex_);
    for (const auto& t : tickets_) {
        asio::post(t->executor, [t, type] {
            if (t->alive) {
                t->signal.emit(type);
            }
        });
    }
}

asio::awaitable<bool> session_registry::wait_empty(std::chrono::steady_clock::duration timeout) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, timeout);
    {
        const std::lock_guard lock(mutex_);
        if (tickets_.empty()) {
            co_return true;
        }
        waiters_.push_back(timer);
    }
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    const std::lock_guard lock(mutex_);
    waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), timer), waiters_.end());
    co_return tickets_.empty();
}

}  // namespace scimldap::http
