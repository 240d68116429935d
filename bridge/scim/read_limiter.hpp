// Caps the large reads running at once, per tenant and in total: key walks (each pins an LDAP
// connection and holds its result's ids) and the entries of walked pages (a page of 1,000 users
// holds ~3 MiB while it is read). Unbounded, 50 concurrent walks took every connection and
// ~1 GB (issue 13). A read over a cap waits its turn for a short while, then is refused.
#pragma once

#include "base/scim_error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace scimldap::scim {

/// How much may be read at once (in units: walks, or entries), and how long a read waits.
struct read_caps {
    std::size_t total = 4;
    std::size_t per_tenant = 2;
    std::chrono::milliseconds queue_timeout{10'000};
    /// What the units are, for the refusal's detail ("list walks").
    std::string what = "list walks";
};

/// Counters shared by every list endpoint of one generation; safe from any thread.
class read_limiter : public std::enable_shared_from_this<read_limiter> {
public:
    /// A turn to read: its units are given back (to the queue) when it goes.
    class permit {
    public:
        permit() = default;
        permit(permit&& other) noexcept;
        permit& operator=(permit&& other) noexcept;
        ~permit();

    private:
        friend class read_limiter;
        permit(std::shared_ptr<read_limiter> owner, std::string tenant, std::size_t units);
        std::shared_ptr<read_limiter> owner_;
        std::string tenant_;
        std::size_t units_ = 0;
    };

    explicit read_limiter(read_caps caps) : caps_(std::move(caps)) {}

    /// `units` for a read in `tenant` (at most per_tenant are asked for): at once when both caps
    /// have room, else after queueing (first come, first served, skipping waiters that do not
    /// fit yet); errc::unavailable (503 with Retry-After) when no turn came within
    /// queue_timeout.
    boost::asio::awaitable<result<permit>> acquire(std::string tenant, std::size_t units = 1);

    const read_caps& caps() const { return caps_; }

private:
    struct waiter {
        std::string tenant;
        std::size_t units = 1;
        std::shared_ptr<boost::asio::steady_timer> timer;
        bool granted = false;
    };

    bool has_room(const std::string& tenant, std::size_t units) const;
    void take(const std::string& tenant, std::size_t units);
    void release(const std::string& tenant, std::size_t units);

    const read_caps caps_;
    std::mutex mutex_;
    std::size_t running_ = 0;
    std::map<std::string, std::size_t> running_by_tenant_;
    std::deque<std::shared_ptr<waiter>> queue_;
};

}  // namespace scimldap::scim
