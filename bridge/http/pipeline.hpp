// One configuration's request pipeline (authenticator, routes, readiness) and the slot a reload
// publishes it in.
#pragma once

#include "bridge/auth/authenticator.hpp"
#include "bridge/http/admission.hpp"
#include "bridge/http/audit_log.hpp"
#include "bridge/http/health.hpp"
#include "bridge/scim/router.hpp"
#include "mapping/config.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

namespace scimldap::http {

/// What a request is served with. Immutable once published: a request takes the current one at
/// its start and keeps it (shared) until its response is written, so a reload never changes
/// what a running request sees, and what the routes' handlers refer to (the LDAP client) lives
/// as long as a request that may use it.
struct pipeline {
    /// The authenticator from config; routes empty under config.http.base_path. ready() says
    /// whether this pipeline's LDAP client has a bound connection, and if not why (/readyz).
    pipeline(const mapping::config& config, std::function<readiness()> ready)
        : authenticator(config),
          routes(config.http.base_path),
          ready(std::move(ready)),
          metrics_token_sha256(config.metrics ? config.metrics->token_sha256 : std::string()),
          admission(config) {}

    auth::authenticator authenticator;
    scim::router routes;
    std::function<readiness()> ready;
    /// Non-empty: GET /metrics on this port, for this token only (never a SCIM token).
    std::string metrics_token_sha256;
    /// Per-tenant rate and concurrency limits. A reload starts them afresh (full buckets).
    mutable http::admission admission;
    /// Where write requests are audited; null when logging.audit.enabled is false. Shared
    /// with the next generation when its audit settings are the same.
    std::shared_ptr<const audit_log> audit;
};

/// The pipeline new requests get. One atomic load per request (no lock held across it);
/// store() is what a reload does.
class pipeline_slot {
public:
    std::shared_ptr<const pipeline> load() const { return current_.load(); }
    void store(std::shared_ptr<const pipeline> next) { current_.store(std::move(next)); }

private:
    std::atomic<std::shared_ptr<const pipeline>> current_;
};

}  // namespace scimldap::http
