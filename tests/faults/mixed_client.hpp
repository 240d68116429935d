// One simulated IdP worker of the mixed-load generator: a keep-alive connection doing a random
// mix of user and group writes and reads on resources it owns (so the journal orders every
// resource's requests), retrying 5xx and unanswered writes the way IdPs do.
#pragma once

#include "tests/faults/http_connection.hpp"
#include "tests/faults/journal.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace scimldap::faults {

/// Everything every client shares: settings, the journal and the run's counters.
struct run_context {
    std::string prefix;                   // userNames and group names start with it
    std::vector<std::string> user_types;  // each create/PUT/PATCH picks one (or none)
    bool passwords = true;
    unsigned max_attempts = 10;  // per request, the first included
    std::chrono::steady_clock::time_point stop_at;
    journal* record = nullptr;
    // Counters for the summary (one io_context thread: plain integers).
    std::map<unsigned, std::uint64_t> statuses;
    std::uint64_t requests = 0;
    std::uint64_t connection_errors = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t missing_retry_after = 0;  // 503 without Retry-After
    double max_latency_s = 0;
};

class mixed_client {
public:
    mixed_client(run_context& run, http_connection connection, unsigned index, std::uint64_t seed);
    /// Requests until run.stop_at, then finishes the request (and its retries) in hand.
    boost::asio::awaitable<void> run();

private:
    struct user {
        std::string name;
        std::string id;
    };
    struct group {
        std::string name;
        std::string id;
        std::set<std::string> member_ids;
    };

    boost::asio::awaitable<http_outcome> send(journal_request request);
    boost::asio::awaitable<void> create_user();
    boost::asio::awaitable<void> lookup_user(const std::string& name);
    boost::asio::awaitable<void> patch_user();
    boost::asio::awaitable<void> put_user();
    boost::asio::awaitable<void> delete_user();
    boost::asio::awaitable<void> get_user();
    boost::asio::awaitable<void> create_group();
    boost::asio::awaitable<void> change_member(bool add);

    journal_request request(std::string op, std::string kind, std::string key, std::string method,
                            std::string target) const;
    boost::json::value random_user_type();
    bool chance(double p);
    std::size_t pick(std::size_t size);
    void forget_user(std::size_t at);

    run_context& run_;
    http_connection connection_;
    unsigned index_;
    std::mt19937_64 random_;
    std::vector<user> users_;
    std::vector<group> groups_;
    std::map<std::string, std::string> names_by_id_;
    unsigned next_user_ = 0;
    unsigned next_group_ = 0;
};

}  // namespace scimldap::faults
