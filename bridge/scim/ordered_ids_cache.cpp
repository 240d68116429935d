#include "bridge/scim/ordered_ids_cache.hpp"

#include <algorithm>

namespace scimldap::scim {

std::shared_ptr<const ordered_ids_cache::ids> ordered_ids_cache::find(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    std::erase_if(slots_, [&](const slot& s) { return now - s.stored > ttl_; });
    const auto it =
        std::find_if(slots_.begin(), slots_.end(), [&](const slot& s) { return s.key == key; });
    return it == slots_.end() ? nullptr : it->list;
}

void ordered_ids_cache::store(const std::string& key, std::shared_ptr<const ids> list) {
    std::lock_guard lock(mutex_);
    std::erase_if(slots_, [&](const slot& s) { return s.key == key; });
    slots_.push_back({key, std::move(list), std::chrono::steady_clock::now()});
    while (slots_.size() > max_lists_) {
        slots_.erase(slots_.begin());
    }
}

ordered_ids_cache& ordered_ids_cache::shared() {
    static ordered_ids_cache cache(std::chrono::seconds(30), 8);
    return cache;
}

}  // namespace scimldap::scim
