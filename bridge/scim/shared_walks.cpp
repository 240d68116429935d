#include "bridge/scim/shared_walks.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scimldap::scim {
namespace asio = boost::asio;

namespace {

const error abandoned{errc::unavailable,
                      "the list walk this request waited for ended before it finished (its "
                      "request was cancelled); retry"};

}  // namespace

bool shared_walks::running(const std::string& key) {
    std::lock_guard lock(mutex_);
    return flights_.contains(key);
}

void shared_walks::finish(const std::string& key, const std::shared_ptr<flight>& f,
                          walk_result outcome) {
    std::vector<std::shared_ptr<asio::steady_timer>> waiting;
    {
        std::lock_guard lock(mutex_);
        if (f->outcome) {
            return;
        }
        f->outcome = std::move(outcome);
        waiting.swap(f->waiting);
        const auto it = flights_.find(key);
        if (it != flights_.end() && it->second == f) {
            flights_.erase(it);
        }
    }
    for (auto& timer : waiting) {
        // Each waiter's timer belongs to its own thread: cancel it there.
        asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    }
}

asio::awaitable<shared_walks::walk_result> shared_walks::wait(const std::shared_ptr<flight>& f) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
    timer->expires_at(asio::steady_timer::time_point::max());
    {
        std::lock_guard lock(mutex_);
        if (f->outcome) {
            co_return *f->outcome;
        }
        f->waiting.push_back(timer);
    }
    // Woken by finish(), or cancelled with this request (its deadline).
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::lock_guard lock(mutex_);
    if (f->outcome) {
        co_return *f->outcome;
    }
    co_return abandoned;
}

asio::awaitable<shared_walks::walk_result> shared_walks::run(const std::string& key,
                                                             const walker& walk) {
    std::shared_ptr<flight> f;
    bool leader = false;
    {
        std::lock_guard lock(mutex_);
        auto& slot = flights_[key];
        leader = !slot;
        if (leader) {
            slot = std::make_shared<flight>();
        }
        f = slot;
    }
    if (!leader) {
        co_return co_await wait(f);
    }
    // If this request is cancelled mid-walk, its waiters must not wait forever.
    struct abandon_guard {
        shared_walks& self;
        const std::string& key;
        std::shared_ptr<flight> f;
        ~abandon_guard() { self.finish(key, f, abandoned); }
    } guard{*this, key, f};
    auto outcome = co_await walk();
    finish(key, f, outcome);
    co_return outcome;
}

shared_walks& shared_walks::shared() {
    static shared_walks walks;
    return walks;
}

}  // namespace scimldap::scim
