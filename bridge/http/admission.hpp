// Per-tenant rate limits and concurrency caps (docs/configuration.md, "tenants[].limits"): a
// tenant over its limit gets 429 with Retry-After (RFC 6585 §4) before its request reaches the
// directory, and other tenants are not slowed by it.
#pragma once

#include "base/scim_error.hpp"
#include "mapping/config.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace scimldap::http {

/// A token bucket: `rate` tokens a second, at most `burst` saved up. Starts full.
class token_bucket {
public:
    using clock = std::chrono::steady_clock;
    token_bucket(std::uint32_t rate, std::uint32_t burst, clock::time_point now);
    /// Takes a token at `now`; nullopt when one was there, else how long until one is.
    std::optional<clock::duration> take(clock::time_point now);

private:
    std::mutex mutex_;
    double rate_;
    double burst_;
    double tokens_;
    clock::time_point last_;
};

/// Admission for all tenants of one configuration.
class admission {
public:
    /// The tenants with limits in `config`; the others are always admitted.
    explicit admission(const mapping::config& config);

    /// Held while an admitted request runs: counts it against the tenant's concurrency cap.
    class ticket {
    public:
        ticket() = default;
        explicit ticket(std::atomic<std::uint32_t>* in_flight) : in_flight_(in_flight) {}
        ticket(ticket&& o) noexcept : in_flight_(std::exchange(o.in_flight_, nullptr)) {}
        ticket& operator=(ticket&&) = delete;
        ticket(const ticket&) = delete;
        ticket& operator=(const ticket&) = delete;
        ~ticket();

    private:
        std::atomic<std::uint32_t>* in_flight_ = nullptr;
    };

    /// Admits one request of `tenant`, or the 429 it gets (counted in
    /// scimldap_rate_limited_total{tenant,limit}).
    scim::result<ticket> admit(const std::string& tenant,
                               token_bucket::clock::time_point now = token_bucket::clock::now());

private:
    struct gate {
        mapping::tenant_limits limits;
        std::unique_ptr<token_bucket> bucket;  // null without a rate
        std::atomic<std::uint32_t> in_flight{0};
    };
    std::map<std::string, std::unique_ptr<gate>, std::less<>> gates_;  // fixed after construction
};

}  // namespace scimldap::http
