#include "bridge/scim/id_lookup.hpp"

#include "mapping/id_filter.hpp"

#include "base/ascii_case.hpp"
#include "mapping/ldap_syntax.hpp"

#include <algorithm>
#include <set>

namespace scimldap::scim {
namespace asio = boost::asio;
using ascii::iequals;
using ascii::to_lower_copy;

namespace {

/// Batches stay far below the server's size limit (slapd: 500 for non-root binds).
constexpr std::size_t id_batch = 200;

}  // namespace

asio::awaitable<result<std::map<std::string, ldap::dn>>> find_dns_by_id(
    directory& dir, const std::vector<std::string>& types, const std::vector<std::string>& ids) {
    std::map<std::string, ldap::dn> out;
    const auto& tenant = dir.tenant();
    for (const auto& type : types) {
        const bool user = iequals(type, "User");
        if (!user && !iequals(type, "Group")) {
            continue;  // "external" and the like hold no DN of this tenant
        }
        const auto& resource = user ? tenant.profile->user : tenant.profile->group;
        const bool uuid_ids = iequals(resource.id_attribute, "entryUUID");
        std::vector<std::string> wanted;
        std::set<std::string> seen;
        for (const auto& id : ids) {
            auto key = to_lower_copy(id);
            if (!out.contains(key) && (!uuid_ids || mapping::is_uuid(id)) &&
                seen.insert(std::move(key)).second) {
                wanted.push_back(id);
            }
        }
        for (std::size_t start = 0; start < wanted.size(); start += id_batch) {
            const std::span<const std::string> batch(wanted.data() + start,
                                                     std::min(wanted.size() - start, id_batch));
            ldap::search_request request;
            request.base = user ? tenant.users_base : tenant.groups_base;
            request.scope = ldap::scope::sub;
            request.filter = mapping::ids_filter(resource, batch);
            request.attributes = {resource.id_attribute};
            auto found = co_await dir.search(std::move(request), "members");
            if (!found) {
                co_return found.error();
            }
            for (const auto& e : found->entries) {
                if (const auto id = e.first(resource.id_attribute)) {
                    out[to_lower_copy(*id)] = e.name;
                }
            }
        }
    }
    co_return out;
}

}  // namespace scimldap::scim
