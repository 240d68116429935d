#include "bridge/scim/read_limiter.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace scimldap::scim {
namespace asio = boost::asio;

read_limiter::permit::permit(std::shared_ptr<read_limiter> owner, std::string tenant,
                             std::size_t units)
    : owner_(std::move(owner)), tenant_(std::move(tenant)), units_(units) {}

read_limiter::permit::permit(permit&& other) noexcept
    : owner_(std::move(other.owner_)), tenant_(std::move(other.tenant_)), units_(other.units_) {}

read_limiter::permit& read_limiter::permit::operator=(permit&& other) noexcept {
    if (this != &other) {
        if (owner_) {
            owner_->release(tenant_, units_);
        }
        owner_ = std::move(other.owner_);
        tenant_ = std::move(other.tenant_);
        units_ = other.units_;
    }
    return *this;
}

read_limiter::permit::~permit() {
    if (owner_) {
        owner_->release(tenant_, units_);
    }
}

bool read_limiter::has_room(const std::string& tenant, std::size_t units) const {
    const auto it = running_by_tenant_.find(tenant);
    const std::size_t mine = it == running_by_tenant_.end() ? 0 : it->second;
    return running_ + units <= caps_.total && mine + units <= caps_.per_tenant;
}

void read_limiter::take(const std::string& tenant, std::size_t units) {
    running_ += units;
    running_by_tenant_[tenant] += units;
}

void read_limiter::release(const std::string& tenant, std::size_t units) {
    std::vector<std::shared_ptr<waiter>> granted;
    {
        std::lock_guard lock(mutex_);
        running_ -= units;
        if ((running_by_tenant_[tenant] -= units) == 0) {
            running_by_tenant_.erase(tenant);
        }
        // Oldest first, skipping a waiter that does not fit yet, so a tenant at its own cap
        // does not hold up another tenant's read.
        for (auto it = queue_.begin(); it != queue_.end();) {
            if (has_room((*it)->tenant, (*it)->units)) {
                (*it)->granted = true;
                take((*it)->tenant, (*it)->units);
                granted.push_back(*it);
                it = queue_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const auto& w : granted) {
        // The timer belongs to the waiter's thread: cancel it there.
        asio::post(w->timer->get_executor(), [timer = w->timer] { timer->cancel(); });
    }
}

asio::awaitable<result<read_limiter::permit>> read_limiter::acquire(std::string tenant,
                                                                    std::size_t units) {
    units = std::clamp<std::size_t>(units, 1, caps_.per_tenant);
    auto me = std::make_shared<waiter>();
    const auto executor = co_await asio::this_coro::executor;
    {
        std::lock_guard lock(mutex_);
        // Only reads that do not fit are ever queued, so room now is nobody else's turn.
        if (has_room(tenant, units)) {
            take(tenant, units);
            co_return permit(shared_from_this(), std::move(tenant), units);
        }
        me->tenant = tenant;
        me->units = units;
        me->timer = std::make_shared<asio::steady_timer>(executor);
        me->timer->expires_after(caps_.queue_timeout);
        queue_.push_back(me);
    }
    boost::system::error_code ec;
    co_await me->timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    {
        std::lock_guard lock(mutex_);
        if (me->granted) {
            co_return permit(shared_from_this(), std::move(tenant), units);
        }
        std::erase(queue_, me);
    }
    const int seconds =
        static_cast<int>(std::ceil(std::chrono::duration<double>(caps_.queue_timeout).count()));
    co_return error{errc::unavailable,
                    "too many " + caps_.what + " are running (at most " +
                        std::to_string(caps_.per_tenant) + " per tenant, " +
                        std::to_string(caps_.total) +
                        " in total); retry later, or narrow the query with a filter",
                    std::max(1, seconds)};
}

}  // namespace scimldap::scim
