#include "bridge/scim/recent_writes.hpp"

#include <mutex>
#include <unordered_map>

namespace scimldap::scim::recent_writes {
namespace {

using clock = std::chrono::steady_clock;

struct registry {
    std::mutex mutex;
    std::unordered_map<std::string, clock::time_point> last;  // one entry per tenant name
};

registry& writes() {
    static registry r;
    return r;
}

}  // namespace

void note(const tenant_view& tenant) {
    auto& r = writes();
    const auto now = clock::now();
    const std::lock_guard lock(r.mutex);
    r.last[tenant.name] = now;
}

bool within(const tenant_view& tenant, std::chrono::milliseconds window) {
    auto& r = writes();
    const std::lock_guard lock(r.mutex);
    const auto it = r.last.find(tenant.name);
    return it != r.last.end() && clock::now() - it->second < window;
}

bool replica_reads(const endpoint_settings& settings, const tenant_view& tenant) {
    return settings.replicas && !within(tenant, settings.read_your_writes);
}

}  // namespace scimldap::scim::recent_writes
