#include "bridge/scim/endpoint_settings.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>

namespace scimldap::scim {

read_limits make_read_limits(std::size_t max_walks, std::size_t max_walks_per_tenant,
                             std::chrono::milliseconds queue_timeout, int max_count,
                             std::size_t max_members_inline) {
    const auto page = static_cast<std::size_t>(max_count);
    read_limits out;
    out.walks = std::make_shared<read_limiter>(
        read_caps{max_walks, max_walks_per_tenant, queue_timeout, "list walks"});
    out.page_entries = std::make_shared<read_limiter>(read_caps{
        max_walks * page, max_walks_per_tenant * page, queue_timeout, "entries of large pages"});
    out.member_counts = std::make_shared<read_limiter>(
        read_caps{max_walks, max_walks_per_tenant, queue_timeout, "group member counts"});
    out.member_lists = std::make_shared<read_limiter>(
        read_caps{max_walks, max_walks_per_tenant, queue_timeout, "group reads with members"});
    out.max_members_inline = max_members_inline;
    return out;
}

}  // namespace scimldap::scim
