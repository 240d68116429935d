// Remembers which groups recently had a short member list, so reading them again needs no turn.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace scimldap::scim {

/// Groups (by tenant and id) seen or written with a short member list within the last ttl;
/// safe from any thread. Bounded: at capacity the oldest half is dropped.
class short_member_lists {
public:
    short_member_lists(std::chrono::steady_clock::duration ttl, std::size_t capacity)
        : ttl_(ttl), capacity_(capacity) {}

    /// Whether the group's list was short when last seen, within the ttl.
    bool contains(std::string_view tenant, std::string_view id);
    void remember(std::string_view tenant, std::string_view id);
    void forget(std::string_view tenant, std::string_view id);

private:
    using clock = std::chrono::steady_clock;
    static std::string key(std::string_view tenant, std::string_view id);
    void drop_oldest_half();

    const clock::duration ttl_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, clock::time_point> seen_;
};

}  // namespace scimldap::scim
