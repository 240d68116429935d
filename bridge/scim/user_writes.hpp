// The LDAP side of writing a User beyond its attributes: roles from userType, the account lock
// for active, the password (RFC 3062), completing a create in steps (or undoing it), and the
// archive mode of delete.
#pragma once

#include "bridge/scim/creates_in_flight.hpp"
#include "bridge/scim/directory.hpp"
#include "mapping/profile.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace scimldap::scim {

/// The role groups (`cn=<role>,<roles base>`) a user of this userType belongs to.
std::vector<std::string> roles_for(const mapping::user_type_settings& settings,
                                   const std::optional<std::string>& user_type, bool on_create);

/// Adds `member` to each role group, creating a missing group (role groups are not SCIM groups).
boost::asio::awaitable<result<void>> join_roles(directory& dir,
                                                const mapping::user_type_settings& settings,
                                                const ldap::dn& member,
                                                const std::vector<std::string>& roles);

/// Removes `member` from each role group; absent memberships are not an error.
boost::asio::awaitable<result<void>> leave_roles(directory& dir,
                                                 const mapping::user_type_settings& settings,
                                                 const ldap::dn& member,
                                                 const std::vector<std::string>& roles);

/// The roles whose group the entry's member-of values (DNs; nullptr: none) do not name. A
/// membership written by an operation slapd ran after the bridge abandoned it can be in the
/// group without the memberof overlay's memberOf on the user; leaving and joining again repairs
/// it, a join alone finds the value there and changes nothing.
std::vector<std::string> roles_without_member_of(const directory& dir,
                                                 const mapping::user_type_settings& settings,
                                                 const std::vector<std::string>& roles,
                                                 const std::vector<std::string>* member_of);

/// The roles whose groups (under the tenant's roles base) the member-of values name.
std::vector<std::string> roles_in_member_of(const directory& dir,
                                            const mapping::user_type_settings& settings,
                                            const std::vector<std::string>& member_of);

/// Which role groups a PUT/PATCH leaves and joins.
struct role_moves {
    std::vector<std::string> leave;
    std::vector<std::string> join;
    /// Named by memberOf but not wanted: left by an earlier move cut short. The group may hold
    /// the member, or may have lost it while memberOf kept the value (slapd ran the abandoned
    /// leave without the memberof overlay's update), so the repair joins, then leaves.
    std::vector<std::string> stale;
};

/// The role moves that make a written user's role groups match its new userType. They follow
/// the memberships the entry shows (member-of values; nullptr: not mapped) as well as its stored
/// userType: the entry's modify comes first, so after a failed move the stored userType is
/// already the new one, and only the memberships tell the retry what is left to do.
role_moves plan_role_moves(const directory& dir, const mapping::user_type_settings& settings,
                           const std::optional<std::string>& before,
                           const std::optional<std::string>& desired,
                           const std::vector<std::string>* member_of);

/// After an add failed with entryAlreadyExists: completes the entry with this request when
/// it is the bridge's own unfinished create that no request of this process is still making;
/// otherwise the 409 the add gave.
boost::asio::awaitable<result<std::string>> complete_pending_create(
    directory& dir, const mapping::resource_profile& user, const ldap::dn& name,
    const mapping::desired_entry& desired, const creates_in_flight::registration& in_flight,
    error exists);

/// The steps after the add: the password through Password Modify (when it did not travel in
/// the add) and the role groups. `relock` keeps an inactive user locked after Password
/// Modify, which ppolicy unlocks (a pending create's last write sets the lock instead).
boost::asio::awaitable<result<void>> complete_create(directory& dir,
                                                     const mapping::resource_profile& user,
                                                     const ldap::dn& name,
                                                     const mapping::desired_entry& desired,
                                                     bool set_password, bool relock);

/// The last write of a pending create: the remaining attribute changes, the lock state asked
/// for and the pending mark removed, in one modify.
boost::asio::awaitable<result<void>> finish_create(directory& dir,
                                                   const mapping::resource_profile& user,
                                                   const ldap::dn& name,
                                                   const mapping::desired_entry& desired,
                                                   std::vector<ldap::modification> changes);

/// After the entry's own write: the password and the role moves.
boost::asio::awaitable<result<void>> finish_write(directory& dir,
                                                  const mapping::resource_profile& user,
                                                  const ldap::entry& current, const ldap::dn& name,
                                                  const mapping::desired_entry& desired);

/// Archive mode: lock the account, leave its roles, and move it out of the SCIM base.
boost::asio::awaitable<result<void>> archive_user(directory& dir,
                                                  const mapping::resource_profile& user,
                                                  const ldap::entry& current);

/// Archive mode, a DELETE of an id no longer under the users base: when the archive holds it
/// and nobody took its old DN since, the values still naming that DN (its groups, the managers
/// naming it: an archiving cut after its move) follow it to the archive. Failures are counted
/// like follow_rename's; the DELETE answers 404 either way.
boost::asio::awaitable<void> finish_archive_move(directory& dir,
                                                 const mapping::resource_profile& user,
                                                 std::string_view id);

}  // namespace scimldap::scim
