// Reading a group with its members under the read limits: counted first, refused above
// scim.max_members_inline, and only a long member list holds a turn while it is read.
#pragma once

#include "bridge/scim/directory.hpp"
#include "bridge/scim/endpoint_settings.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// Member lists up to this many values are read without holding a turn: their reads are small
/// (a few kB each) and most groups IdPs provision are that size.
inline constexpr std::size_t short_member_list = 100;

/// find_by_id for `resource` with `attributes` and `references`. When the references include
/// its members, they are counted first (values counted as decoded, under a brief turn from
/// limits.member_counts unless limits.short_lists knows the list as short); more than
/// limits.max_members_inline → 400 tooMany naming the resource, so the bridge never holds the
/// member list of a 100,000-member group. A list longer than short_member_list is read under a turn
/// from limits.member_lists.
boost::asio::awaitable<result<std::optional<found_entry>>> find_with_members(
    directory& dir, const read_limits& limits, const mapping::resource_profile& resource,
    std::string_view id, std::vector<std::string> attributes,
    const std::vector<const mapping::attribute_mapping*>& references, std::string_view what);

}  // namespace scimldap::scim
