#include "tests/support/replicated_slapd.hpp"

#include "tests/support/ldap_admin.hpp"
#include "tests/support/process_sockets.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>
#include <thread>

namespace scimldap::testing {
namespace {

std::string uri_of(std::uint16_t port) {
    return "ldap://127.0.0.1:" + std::to_string(port);
}

slapd_options replica(slapd_options base, std::uint16_t port, slapd_replication replication,
                      bool seed) {
    base.port = port;
    base.replication = std::move(replication);
    base.seed = seed;
    base.seed_sample = base.seed_sample && seed;
    return base;
}

/// The entry at dn with attribute as the server holds it now; nullopt when absent or when the
/// server does not answer.
std::optional<std::vector<std::string>> read_values(const slapd_launcher& server,
                                                    const std::string& dn,
                                                    const std::string& attribute) {
    try {
        ldap_admin admin(server);
        const auto e = admin.read(dn, {attribute});
        if (!e) {
            return std::nullopt;
        }
        auto values = attribute_values(*e, attribute);
        std::sort(values.begin(), values.end());
        return values;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// Polls (replication has no event to wait on) until done() or the timeout.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(5);
    while (std::chrono::steady_clock::now() < until) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
    return done();
}

}  // namespace

replicated_slapd::replicated_slapd(slapd_options base, bool partitionable) {
    const std::uint16_t p1 = pick_free_port();
    std::uint16_t p2 = pick_free_port();
    while (p2 == p1) {
        p2 = pick_free_port();
    }
    std::uint16_t c = pick_free_port();
    while (c == p1 || c == p2) {
        c = pick_free_port();
    }
    std::string from1 = uri_of(p1);
    std::string from2 = uri_of(p2);
    if (partitionable) {
        to_provider1_ = std::make_unique<tcp_proxy>("127.0.0.1", p1);
        to_provider2_ = std::make_unique<tcp_proxy>("127.0.0.1", p2);
        from1 = to_provider1_->uri();
        from2 = to_provider2_->uri();
    }
    // Provider 1 is seeded; the others pull the DIT from it, so every entry has one entryUUID.
    provider1_ = std::make_unique<slapd_launcher>(replica(base, p1, {1, {from2}, false}, true));
    provider2_ = std::make_unique<slapd_launcher>(replica(base, p2, {2, {from1}, false}, false));
    consumer_ = std::make_unique<slapd_launcher>(
        replica(base, c, {3, {uri_of(p1), uri_of(p2)}, true}, false));
}

void replicated_slapd::start() {
    provider1_->start();
    provider2_->start();
    consumer_->start();
    for (auto* replica : {provider2_.get(), consumer_.get()}) {
        if (!wait_for_entry(*replica, slapd_launcher::service_dn)) {
            throw std::runtime_error("the replica on " + replica->uri() +
                                     " did not pull the seeded DIT within 10 s; log " +
                                     replica->log_file());
        }
    }
}

bool replicated_slapd::wait_for_entry(const slapd_launcher& server, const std::string& dn,
                                      std::chrono::milliseconds timeout) {
    return wait_until([&] { return read_values(server, dn, "1.1").has_value(); }, timeout);
}

bool replicated_slapd::wait_for_absence(const slapd_launcher& server, const std::string& dn,
                                        std::chrono::milliseconds timeout) {
    return wait_until([&] { return !read_values(server, dn, "1.1").has_value(); }, timeout);
}

bool replicated_slapd::wait_for_values(const slapd_launcher& server, const std::string& dn,
                                       const std::string& attribute,
                                       std::vector<std::string> values,
                                       std::chrono::milliseconds timeout) {
    std::sort(values.begin(), values.end());
    return wait_until([&] { return read_values(server, dn, attribute) == values; }, timeout);
}

void replicated_slapd::partition(bool cut) {
    if (!to_provider1_) {
        throw std::logic_error("replicated_slapd::partition needs a partitionable instance");
    }
    for (auto* proxy : {to_provider1_.get(), to_provider2_.get()}) {
        if (cut) {
            proxy->black_hole(true);
        } else {
            proxy->resume();
        }
    }
}

}  // namespace scimldap::testing
