// Writing a group's attributes, members and name as LDAP operations: the value-level member
// modifications for the group as read, and the modify/modify/rename sequence with its
// assertions (docs/mapping.md, "Groups").
#pragma once

#include "bridge/scim/directory.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace scimldap::scim {

/// A write in LDAP terms: a rename when displayName changes, then one modify.
struct group_write {
    ldap::dn name;
    std::string id;
    std::optional<std::string> new_rdn_value;
    std::vector<ldap::modification> changes;
    std::optional<std::string> assert_csn;  // read-modify-write: the version it was based on
};

/// The value-level member modifications for the group as read.
boost::asio::awaitable<result<std::vector<ldap::modification>>> member_modifications(
    directory& dir, const mapping::resource_profile& group, const ldap::entry& current,
    bool replacement, const std::vector<ldap::dn>& adds, const std::vector<ldap::dn>& removes,
    bool values_read);

/// Attribute modify (asserting the version read, when computed from it), member modify
/// (asserting the version the attribute modify left, or the one read), then rename. The
/// member modify's assertion is the form that is true on every other entry: slapd's memberof
/// overlay runs its memberOf updates of the members with the request's controls, and a plain
/// assertion makes them fail and leaves memberOf stale (seen on 2.5.13). The rename carries
/// none, for the same reason. A taken displayName is found before anything is written.
boost::asio::awaitable<result<void>> write_group(directory& dir,
                                                 const mapping::resource_profile& group,
                                                 group_write w, bool if_match_given, bool& retry);

/// The DN of each id (a user or group of the tenant, by the profile's member types); every id
/// must resolve: 400 invalidValue naming the first that does
/// not (then nothing is written). `self` (the group's own DN, when known) may not be a member.
boost::asio::awaitable<result<std::vector<ldap::dn>>> require_member_dns(
    directory& dir, const mapping::members_settings& members, const std::vector<std::string>& ids,
    const ldap::dn* self = nullptr);

}  // namespace scimldap::scim
