#include "bridge/http/descriptor_limit.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>

namespace scimldap::http {

namespace {

// LDAP connections, log files, the listener, the TLS files a reload reads.
constexpr rlim_t headroom = 256;

}  // namespace

void ensure_descriptors_for(std::size_t max_connections) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const rlim_t wanted = 2 * static_cast<rlim_t>(max_connections) + headroom;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur =
            limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        if (limit.rlim_cur > before && ::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            spdlog::info("descriptor limit raised from {} to {} for http.max_connections {}",
                         before, limit.rlim_cur, max_connections);
        } else {
            limit.rlim_cur = before;
        }
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        spdlog::warn(
            "descriptor limit {} is below the {} that http.max_connections {} can use; raise "
            "LimitNOFILE= (ulimit -n) or lower the cap",
            limit.rlim_cur, wanted, max_connections);
    }
}

}  // namespace scimldap::http
