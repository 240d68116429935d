#include "bridge/http/admission.hpp"

#include "base/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace scimldap::http {
namespace {

metrics::family<metrics::counter>& refusals() {
    static auto& f = metrics::registry::global().counters(
        "scimldap_rate_limited_total",
        "Requests answered 429 because their tenant was over a limit (rate or concurrency)",
        {"tenant", "limit"});
    return f;
}

// Retry-After is in whole seconds (RFC 9110 §10.2.3): round up, at least 1.
int whole_seconds(token_bucket::clock::duration wait) {
    const double seconds = std::chrono::duration<double>(wait).count();
    return std::max(1, static_cast<int>(std::ceil(seconds)));
}

}  // namespace

token_bucket::token_bucket(std::uint32_t rate, std::uint32_t burst, clock::time_point now)
    : rate_(rate), burst_(std::max<std::uint32_t>(burst, 1)), tokens_(burst_), last_(now) {}

std::optional<token_bucket::clock::duration> token_bucket::take(clock::time_point now) {
    const std::lock_guard lock(mutex_);
    if (now > last_) {
        tokens_ =
            std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
        last_ = now;
    }
    if (tokens_ >= 1) {
        tokens_ -= 1;
        return std::nullopt;
    }
    return std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>((1 - tokens_) / rate_));
}

admission::admission(const mapping::config& config) {
    const auto now = token_bucket::clock::now();
    for (const auto& t : config.tenants) {
        if (t.limits.requests_per_second == 0 && t.limits.max_concurrent == 0) {
            continue;
        }
        auto g = std::make_unique<gate>();
        g->limits = t.limits;
        if (t.limits.requests_per_second != 0) {
            g->bucket =
                std::make_unique<token_bucket>(t.limits.requests_per_second, t.limits.burst, now);
        }
        refusals().with({t.name, "rate"});  // listed at zero from the first scrape
        refusals().with({t.name, "concurrency"});
        gates_.emplace(t.name, std::move(g));
    }
}

admission::ticket::~ticket() {
    if (in_flight_ != nullptr) {
        in_flight_->fetch_sub(1, std::memory_order_relaxed);
    }
}

scim::result<admission::ticket> admission::admit(const std::string& tenant,
                                                 token_bucket::clock::time_point now) {
    const auto it = gates_.find(tenant);
    if (it == gates_.end()) {
        return ticket();
    }
    gate& g = *it->second;
    if (g.limits.max_concurrent != 0) {
        if (g.in_flight.fetch_add(1, std::memory_order_relaxed) >= g.limits.max_concurrent) {
            g.in_flight.fetch_sub(1, std::memory_order_relaxed);
            refusals().with({tenant, "concurrency"}).inc();
            return scim::error{scim::errc::too_many_requests,
                               "tenant \"" + tenant + "\" already has " +
                                   std::to_string(g.limits.max_concurrent) +
                                   " requests in flight (its max_concurrent); retry later",
                               1};
        }
    }
    ticket admitted(g.limits.max_concurrent != 0 ? &g.in_flight : nullptr);
    if (g.bucket) {
        if (const auto wait = g.bucket->take(now)) {
            refusals().with({tenant, "rate"}).inc();
            const int seconds = whole_seconds(*wait);
            return scim::error{scim::errc::too_many_requests,
                               "tenant \"" + tenant + "\" is over its rate of " +
                                   std::to_string(g.limits.requests_per_second) +
                                   " requests a second; retry after " + std::to_string(seconds) +
                                   " s",
                               seconds};
        }
    }
    return admitted;
}

}  // namespace scimldap::http
