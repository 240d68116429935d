#include "bridge/scim/member_reads.hpp"

#include "base/ascii_case.hpp"
#include "bridge/scim/test_hooks.hpp"

#include <algorithm>

namespace scimldap::scim {

namespace asio = boost::asio;

namespace {

bool members_asked(const mapping::resource_profile& resource,
                   const std::vector<const mapping::attribute_mapping*>& references) {
    return resource.members &&
           std::any_of(references.begin(), references.end(), [&](const auto* m) {
               return ascii::iequals(m->ldap, resource.members->ldap);
           });
}

error too_many_members(std::string_view what, std::string_view id, std::size_t members,
                       std::size_t limit) {
    return error{errc::too_many,
                 std::string(what) + " " + std::string(id) + " has " + std::to_string(members) +
                     " members, more than the " + std::to_string(limit) +
                     " returned inline (scim.max_members_inline): read it with "
                     "excludedAttributes=members, and test membership with the filter "
                     "members.value eq \"<id>\""};
}

/// The members of the group with this id (nullopt: no such group). The count read holds the
/// encoded list until it is decoded, and nothing tells a long list from a short one before it:
/// it runs under a turn from limits.member_counts unless the group's list was short when last
/// seen (`known_short`). Exact above the inline limit, where the placeholder (at most one value)
/// is looked for; below it the placeholder may count.
asio::awaitable<result<std::optional<std::size_t>>> count_members(
    directory& dir, const read_limits& limits, const mapping::resource_profile& resource,
    std::string_view id, std::string_view what, bool known_short) {
    read_limiter::permit turn;
    if (!known_short) {
        auto counting = co_await limits.member_counts->acquire(dir.tenant().name);
        if (!counting) {
            co_return counting.error();
        }
        turn = std::move(*counting);
        if (test_hooks::member_count_started) {
            auto held = test_hooks::member_count_started();
            co_await std::move(held);
        }
    }
    auto counted = co_await dir.count_member_values(resource, id, what);
    if (!counted || !*counted || **counted <= limits.max_members_inline) {
        co_return counted;
    }
    auto placeholder = co_await dir.holds_placeholder(resource, id, what);
    if (!placeholder) {
        co_return placeholder.error();
    }
    co_return std::optional<std::size_t>(**counted - (*placeholder ? 1 : 0));
}

}  // namespace

asio::awaitable<result<std::optional<found_entry>>> find_with_members(
    directory& dir, const read_limits& limits, const mapping::resource_profile& resource,
    std::string_view id, std::vector<std::string> attributes,
    const std::vector<const mapping::attribute_mapping*>& references, std::string_view what) {
    if (!members_asked(resource, references)) {
        co_return co_await dir.find_by_id(resource, id, std::move(attributes), references, what);
    }
    auto& short_lists = *limits.short_lists;
    const std::string& tenant = dir.tenant().name;
    const bool known_short = short_lists.contains(tenant, id);
    auto counted = co_await count_members(dir, limits, resource, id, what, known_short);
    if (!counted) {
        co_return counted.error();
    }
    if (!*counted) {
        short_lists.forget(tenant, id);
        co_return std::optional<found_entry>{};
    }
    const std::size_t members = **counted;
    if (members <= short_member_list) {
        short_lists.remember(tenant, id);
    } else {
        short_lists.forget(tenant, id);
    }
    if (members > limits.max_members_inline) {
        co_return too_many_members(what, id, members, limits.max_members_inline);
    }
    // DESIGN: under load every group create and PUT answers with its members; one turn (2 per
    // tenant) held through each of those reads queued them for seconds (docs/reliability.md
    // §7). Short lists are cheap to read: only long ones wait for each other.
    read_limiter::permit turn;
    if (members > short_member_list) {
        auto long_turn = co_await limits.member_lists->acquire(tenant);
        if (!long_turn) {
            co_return long_turn.error();
        }
        turn = std::move(*long_turn);
    }
    if (test_hooks::member_list_read) {
        auto held = test_hooks::member_list_read(members > short_member_list);
        co_await std::move(held);
    }
    co_return co_await dir.find_by_id(resource, id, std::move(attributes), references, what);
}

}  // namespace scimldap::scim
