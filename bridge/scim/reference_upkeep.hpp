// What slapd's refint overlay did for users, done by the bridge with targeted writes: refint
// searched the whole suffix, unindexed, for every deleted or renamed DN (about 23 ms of slapd
// CPU per delete at 10,000 users), and did it after the answer, so bulk deprovisioning left
// slapd busy for minutes (issue 17, target 5).
#pragma once

#include "bridge/scim/directory.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace scimldap::scim {

/// Before `user_dn` is deleted: it leaves the tenant's groups and role groups its member-of
/// values name (the
/// placeholder takes the last member's place), and every DN reference of this tenant's users
/// to it (manager) is removed. Each step is idempotent, so a retried delete completes it.
boost::asio::awaitable<result<void>> drop_references(directory& dir,
                                                     const mapping::resource_profile& user,
                                                     const ldap::dn& user_dn,
                                                     const std::vector<std::string>& member_of);

/// Right after this request added the user entry at `user_dn` (or while it completes its own
/// pending create, before the role joins): group member and manager values already naming that
/// DN are leftovers of an earlier entry there (a move or delete cut by a crash, or values
/// written outside the bridge), and would hand its memberships to the new user; they are
/// removed. Only the request whose add made the entry (or that completes it) does this, so a
/// concurrent create of the same DN, which gets 409, never removes the winner's links.
boost::asio::awaitable<result<void>> drop_leftover_references(directory& dir,
                                                              const mapping::resource_profile& user,
                                                              const ldap::dn& user_dn);

/// drop_leftover_references where a failure must not fail the request (the entry exists with
/// no pending mark, so a failed answer would turn the IdP's retry into a 409): counted in
/// scimldap_reference_upkeep_failures_total{step="create"} instead.
boost::asio::awaitable<void> drop_leftovers_after_add(directory& dir,
                                                      const mapping::resource_profile& user,
                                                      const ldap::dn& user_dn);

/// After a user entry moved from `from` to `to`: the tenant's groups its member-of values name,
/// and the DN references of this tenant's users (manager), name `to` instead.
boost::asio::awaitable<result<void>> move_references(directory& dir,
                                                     const mapping::resource_profile& user,
                                                     const ldap::dn& from, const ldap::dn& to);

/// move_references for a rename that has happened: the write the client asked for is done, so a
/// failure here does not fail the request (a retry would find nothing to rename and could not
/// repair it either); it is counted in scimldap_reference_upkeep_failures_total and the
/// audit line shows the failed writes.
boost::asio::awaitable<void> follow_rename(directory& dir, const mapping::resource_profile& user,
                                           const ldap::dn& from, const ldap::dn& to);

}  // namespace scimldap::scim
