// The id and display name of group DNs, kept for a second: a user's `groups` come from the
// memberOf DNs on the user's own entry, and reading each group entry to name it made slapd
// decode groups of thousands of members on every lookup (issue 17, target 0).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace scimldap::scim {

/// A thread-safe map normalised group DN → (id, display), each name at most `ttl` old.
class group_names {
public:
    struct name {
        std::string id;
        std::string display;
    };
    using clock = std::chrono::steady_clock;

    group_names(clock::duration ttl, std::size_t max_names) : ttl_(ttl), max_names_(max_names) {}

    /// The name of `dn` when it may be used as it is; nullopt when the caller must read the
    /// group and store() it: never seen, older than ttl, or past half its ttl and no other
    /// caller refreshing it yet (one reader refreshes it while the others keep using it).
    std::optional<name> find(const std::string& dn, clock::time_point now = clock::now());
    /// Where forget() stands; a read begun now stores its name with it.
    std::uint64_t generation() const { return generation_.load(); }
    /// Keeps `n` for `dn`, unless a forget() ran since `read_at` (the read began before a
    /// write and may hold what the write replaced).
    void store(const std::string& dn, name n, std::uint64_t read_at,
               clock::time_point now = clock::now());
    /// Drops `dn`: the bridge wrote that entry (a group deleted and made again keeps its DN
    /// but not its id).
    void forget(const std::string& dn);
    std::size_t size();

    /// The process-wide cache: names at most one second old, at most 100,000 of them.
    static group_names& shared();

private:
    struct slot {
        name value;
        clock::time_point stored;
        bool refreshing = false;
    };
    clock::duration ttl_;
    std::size_t max_names_;
    std::mutex mutex_;
    std::unordered_map<std::string, slot> slots_;
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace scimldap::scim
