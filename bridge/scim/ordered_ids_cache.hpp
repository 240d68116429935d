// Keeps the ordered id list of a large query briefly, so the next pages of the same query do
// not walk the whole result again (DESIGN "Paging at scale"; RFC 7644 §3.4.2.4 allows pages of
// one query to be inconsistent). Entries themselves are always read fresh.
#pragma once

#include "bridge/scim/id_list.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace scimldap::scim {

/// A small, thread-safe, time-limited map: query key → its ids in page order.
class ordered_ids_cache {
public:
    using ids = id_list;

    ordered_ids_cache(std::chrono::steady_clock::duration ttl, std::size_t max_lists)
        : ttl_(ttl), max_lists_(max_lists) {}

    /// The list stored for `key` within the last ttl, or nullptr.
    std::shared_ptr<const ids> find(const std::string& key);
    /// Stores (or replaces) the list for `key`, evicting the oldest beyond max_lists.
    void store(const std::string& key, std::shared_ptr<const ids> list);

    /// The process-wide cache the list endpoints share (30 s, 8 lists).
    static ordered_ids_cache& shared();

private:
    struct slot {
        std::string key;
        std::shared_ptr<const ids> list;
        std::chrono::steady_clock::time_point stored;
    };
    std::chrono::steady_clock::duration ttl_;
    std::size_t max_lists_;
    std::mutex mutex_;
    std::vector<slot> slots_;  // oldest first
};

}  // namespace scimldap::scim
