#include "bridge/scim/group_names.hpp"

namespace scimldap::scim {

std::optional<group_names::name> group_names::find(const std::string& dn, clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = slots_.find(dn);
    if (it == slots_.end()) {
        return std::nullopt;
    }
    slot& s = it->second;
    const auto age = now - s.stored;
    if (age >= ttl_) {
        slots_.erase(it);
        return std::nullopt;
    }
    if (age >= ttl_ / 2 && !s.refreshing) {
        s.refreshing = true;  // this caller reads it again; the others keep the name meanwhile
        return std::nullopt;
    }
    return s.value;
}

void group_names::store(const std::string& dn, name n, std::uint64_t read_at,
                        clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (generation_.load() != read_at) {
        return;  // a write since the read began: the next request reads again
    }
    if (slots_.size() >= max_names_ && !slots_.contains(dn)) {
        std::erase_if(slots_, [&](const auto& kv) { return now - kv.second.stored >= ttl_; });
        if (slots_.size() >= max_names_) {
            slots_.clear();  // all fresh: a second from now they would all be gone anyway
        }
    }
    slots_[dn] = slot{std::move(n), now, false};
}

void group_names::forget(const std::string& dn) {
    std::lock_guard lock(mutex_);
    ++generation_;
    slots_.erase(dn);
}

std::size_t group_names::size() {
    std::lock_guard lock(mutex_);
    return slots_.size();
}

group_names& group_names::shared() {
    static group_names cache(std::chrono::seconds(1), 100000);
    return cache;
}

}  // namespace scimldap::scim
