// What slapd's refint overlay did for users, done by the bridge with targeted writes: refint
// searched the whole suffix, unindexed, for every deleted or renamed DN (about 23 ms of slapd
// CPU per delete at 10,000 users), and did it after the answer, so bulk deprovisioning left
// slapd busy for minutes (issue 17, target 5).
#pragma once

#include "bridge/scim/directory.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

namespace scimldap::scim {

/// Removes every value of this tenant that names `user_dn`: the member values of its groups and
/// role groups (the placeholder takes a last member's place) and the DN references of its users
/// (manager). Each step is idempotent, so a retried request completes it. Used before a user is
/// deleted, and right after this request added the user (or while it completes its own pending
/// create, before the role joins): values naming a new DN are leftovers of an earlier entry
/// there (a move or delete cut by a crash, or written outside the bridge) that would hand their
/// memberships to the new user. Only the request whose add made the entry does that, so a
/// concurrent create of the same DN, which gets 409, never removes the winner's links.
boost::asio::awaitable<result<void>> drop_references(directory& dir,
                                                     const mapping::resource_profile& user,
                                                     const ldap::dn& user_dn);

/// drop_references right after an add where a failure must not fail the request (the entry
/// exists with no pending mark, so a failed answer would turn the IdP's retry into a 409):
/// counted in scimldap_reference_upkeep_failures_total{step="create"} instead.
boost::asio::awaitable<void> drop_leftovers_after_add(directory& dir,
                                                      const mapping::resource_profile& user,
                                                      const ldap::dn& user_dn);

/// After a user entry moved from `from` to `to`: the values of this tenant naming `from` (as
/// drop_references finds them) name `to` instead. The rename the client asked for is done, so a
/// failure here does not fail the request (a retry would find nothing to rename and could not
/// repair it either); it is counted in scimldap_reference_upkeep_failures_total{step="rename"}
/// and the audit line shows the failed writes.
boost::asio::awaitable<void> follow_rename(directory& dir, const mapping::resource_profile& user,
                                           const ldap::dn& from, const ldap::dn& to);

}  // namespace scimldap::scim
