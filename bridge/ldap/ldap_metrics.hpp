// The LDAP client's Prometheus metrics: operations by type and result, their latency,
// reconnects, and the pool's connections by state (docs/operations.md, "Metrics").
#pragma once

#include "base/metrics.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap {

/// One operation finished: `op` is search, add, modify, modrdn, delete or extended; `code` its
/// LDAP result (client-side codes included).
void record_operation(std::string_view op, int code, std::chrono::steady_clock::duration took);

/// An operation refused at once because the bound of outstanding reads or writes was reached
/// (ldap.max_pending_reads / max_pending_writes).
void record_back_pressure(bool write);

/// A connection came back after it had been up or had failed before.
void record_reconnect(const std::string& uri);

/// Every connection of the pool moved to `uri` (failover or failback).
void record_target_change(const std::string& uri);

/// A request waited `took` for its writes to reach another provider (ldap.confirm_writes);
/// `outcome` is confirmed, unconfirmed or source_lost.
void record_write_confirmation(std::string_view outcome, std::chrono::steady_clock::duration took);

/// One pool connection as the scrape sees it.
struct connection_view {
    std::string uri;
    std::string_view state;  // idle, connecting, ready, down, stopped
    bool read = false;       // of the replica pool (ldap.read_uris)
};

/// Registers the pool's gauges (connections by URI and state, operations waiting for one);
/// they leave the scrape with the returned handle.
[[nodiscard]] std::vector<metrics::registry::collector_handle> watch_pool(
    std::function<std::vector<connection_view>()> connections,
    std::function<std::size_t()> waiting);

}  // namespace scimldap::ldap
