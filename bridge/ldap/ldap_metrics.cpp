#include "bridge/ldap/ldap_metrics.hpp"

#include "base/result_code.hpp"

#include <map>
#include <tuple>
#include <utility>

namespace scimldap::ldap {
namespace {

struct families {
    metrics::family<metrics::counter>& operations;
    metrics::family<metrics::histogram>& durations;
    metrics::family<metrics::counter>& reconnects;
    metrics::family<metrics::counter>& refused;
    metrics::family<metrics::counter>& target_changes;
    metrics::family<metrics::counter>& confirmations;
    metrics::family<metrics::histogram>& confirmation_waits;
};

families& ldap_families() {
    auto& r = metrics::registry::global();
    static families f{
        r.counters("scimldap_ldap_operations_total",
                   "LDAP operations the bridge sent, by type and RFC 4511 result name",
                   {"op", "result"}),
        r.histograms("scimldap_ldap_operation_duration_seconds",
                     "Time from handing an LDAP operation to the pool to its result", {"op"}),
        r.counters("scimldap_ldap_reconnects_total",
                   "LDAP connections re-established after a loss or a failed attempt", {"uri"}),
        r.counters("scimldap_ldap_back_pressure_total",
                   "Operations refused at once (503) because as many reads or writes were "
                   "already outstanding as ldap.max_pending_reads/max_pending_writes allow",
                   {"kind"}),
        r.counters("scimldap_ldap_target_changes_total",
                   "Times every pool connection moved to another of ldap.uris (failover, or "
                   "failback with ldap.failback_after), by the URI moved to",
                   {"uri"}),
        r.counters("scimldap_ldap_write_confirmations_total",
                   "Write requests by what ldap.confirm_writes found before they were answered: "
                   "confirmed (another provider holds the writes), unconfirmed (none answered or "
                   "caught up in time), source_lost (the target failed first: answered 503), "
                   "conflict (a create's entry lost a replication conflict: answered 409)",
                   {"outcome"}),
        r.histograms("scimldap_ldap_write_confirmation_seconds",
                     "Time a write request waited for its writes to reach another provider", {}),
    };
    return f;
}

}  // namespace

void record_operation(std::string_view op, int code, std::chrono::steady_clock::duration took) {
    auto& f = ldap_families();
    f.operations.with({op, result_name(code)}).inc();
    f.durations.with({op}).observe(std::chrono::duration<double>(took).count());
}

void record_back_pressure(bool write) {
    ldap_families().refused.with({write ? "write" : "read"}).inc();
}

void record_reconnect(const std::string& uri) {
    ldap_families().reconnects.with({uri}).inc();
}

void record_target_change(const std::string& uri) {
    ldap_families().target_changes.with({uri}).inc();
}

void record_write_confirmation(std::string_view outcome, std::chrono::steady_clock::duration took) {
    auto& f = ldap_families();
    f.confirmations.with({outcome}).inc();
    f.confirmation_waits.with({}).observe(std::chrono::duration<double>(took).count());
}

std::vector<metrics::registry::collector_handle> watch_pool(
    std::function<std::vector<connection_view>()> connections,
    std::function<std::size_t()> waiting) {
    ldap_families();  // the counters are listed from the first scrape on, even at zero
    auto& r = metrics::registry::global();
    auto by_state = r.add(
        {"scimldap_ldap_connections",
         "LDAP pool connections by URI, state (ready: bound, serving) and pool (write: ldap.uris, "
         "read: ldap.read_uris)",
         metrics::kind::gauge,
         {"uri", "state", "pool"},
         [connections] {
             std::map<std::tuple<std::string, std::string, std::string>, double> counts;
             for (const auto& c : connections()) {
                 counts[{c.uri, std::string(c.state), c.read ? "read" : "write"}] += 1;
             }
             std::vector<metrics::sample> out;
             for (const auto& [key, n] : counts) {
                 out.push_back({{std::get<0>(key), std::get<1>(key), std::get<2>(key)}, n});
             }
             return out;
         }});
    auto queued =
        r.add({"scimldap_ldap_waiting_operations",
               "LDAP operations waiting because no pool connection is ready",
               metrics::kind::gauge,
               {},
               [waiting] {
                   return std::vector<metrics::sample>{{{}, static_cast<double>(waiting())}};
               }});
    std::vector<metrics::registry::collector_handle> handles;
    handles.push_back(std::move(by_state));
    handles.push_back(std::move(queued));
    return handles;
}

}  // namespace scimldap::ldap
