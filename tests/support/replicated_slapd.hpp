// Two slapd providers in multi-provider replication and one read-only consumer, on loopback:
// the topology of docs/scale-out.md for tests and the cluster demo.
#pragma once

#include "tests/support/slapd_launcher.hpp"
#include "tests/support/tcp_proxy.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace scimldap::testing {

class replicated_slapd {
public:
    /// Picks the three ports and writes the configs; start() seeds provider 1 and starts all.
    /// With partitionable, the providers pull from each other through TCP proxies, so a test
    /// can cut replication between them (partition()) while both keep answering clients.
    explicit replicated_slapd(slapd_options base = {}, bool partitionable = false);
    replicated_slapd(const replicated_slapd&) = delete;
    replicated_slapd& operator=(const replicated_slapd&) = delete;

    /// Starts the three and waits until provider 2 and the consumer hold the seeded DIT.
    void start();

    slapd_launcher& provider(int n) { return n == 1 ? *provider1_ : *provider2_; }
    slapd_launcher& consumer() { return *consumer_; }

    /// Replication between the providers stops (true: their sessions hold what they send) or
    /// goes on with what was held (false). Only when constructed partitionable.
    void partition(bool cut);

    /// Waits until `uri`'s server holds the entry at dn (true) or `timeout` passes (false).
    static bool wait_for_entry(const slapd_launcher& server, const std::string& dn,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Waits until the server no longer holds the entry at dn.
    static bool wait_for_absence(const slapd_launcher& server, const std::string& dn,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Waits until the entry at dn has exactly these values of attribute (in any order).
    static bool wait_for_values(const slapd_launcher& server, const std::string& dn,
                                const std::string& attribute, std::vector<std::string> values,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    // Declared first, so destroyed last: the servers that pull through them stop first.
    std::unique_ptr<tcp_proxy> to_provider1_;  // provider 2 pulls through it (partitionable)
    std::unique_ptr<tcp_proxy> to_provider2_;
    std::unique_ptr<slapd_launcher> provider1_;
    std::unique_ptr<slapd_launcher> provider2_;
    std::unique_ptr<slapd_launcher> consumer_;
};

}  // namespace scimldap::testing
