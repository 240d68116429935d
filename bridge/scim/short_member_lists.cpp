#include "bridge/scim/short_member_lists.hpp"

#include <algorithm>
#include <vector>

namespace scimldap::scim {

std::string short_member_lists::key(std::string_view tenant, std::string_view id) {
    std::string out;
    out.reserve(tenant.size() + 1 + id.size());
    out.append(tenant).push_back('\n');  // neither a tenant name nor an id holds a newline
    out.append(id);
    return out;
}

bool short_member_lists::contains(std::string_view tenant, std::string_view id) {
    const auto now = clock::now();
    std::lock_guard lock(mutex_);
    const auto it = seen_.find(key(tenant, id));
    return it != seen_.end() && now - it->second <= ttl_;
}

void short_member_lists::remember(std::string_view tenant, std::string_view id) {
    const auto now = clock::now();
    std::lock_guard lock(mutex_);
    if (seen_.size() >= capacity_) {
        drop_oldest_half();
    }
    seen_.insert_or_assign(key(tenant, id), now);
}

void short_member_lists::forget(std::string_view tenant, std::string_view id) {
    std::lock_guard lock(mutex_);
    seen_.erase(key(tenant, id));
}

void short_member_lists::drop_oldest_half() {
    if (seen_.empty()) {
        return;
    }
    std::vector<clock::time_point> times;
    times.reserve(seen_.size());
    for (const auto& [k, t] : seen_) {
        times.push_back(t);
    }
    auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), middle, times.end());
    const auto cut = *middle;
    std::erase_if(seen_, [&](const auto& item) { return item.second <= cut; });
}

}  // namespace scimldap::scim
