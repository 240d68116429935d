// What a create writes to LDAP: the add, and — when the create needs more than the add — the
// last write that marks it finished. Pure: the endpoint sends these, `explain` prints the add.
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"
#include "mapping/resource_writer.hpp"

#include <optional>
#include <vector>

namespace scimldap::mapping {

/// The LDAP add a create sends: the entry's DN under `base` and its attributes (objectClasses,
/// every value the body gives, templates, the account lock when active is false or while the
/// create is unfinished, the pending mark), and the password when it travels in the add.
struct add_plan {
    ldap::dn name;
    std::vector<ldap::attribute> attributes;
    /// The cleartext password for the add (password.on_create inAdd): kept apart so it is sent
    /// but never printed (`explain`) or logged.
    std::optional<ldap::attribute> password;
    /// The add carries the pending mark: finish_create_changes() must follow the other steps.
    bool pending = false;
};
add_plan plan_add(const resource_profile& resource, const desired_entry& desired,
                  const ldap::dn& base);

/// Whether a create's password travels in its add (password.on_create inAdd).
bool password_travels_in_add(const resource_profile& resource);

/// Whether the create needs LDAP operations after its add: role group memberships (userType,
/// default roles) or a password set through Password Modify.
bool create_needs_more_steps(const resource_profile& resource, const desired_entry& desired);

/// The modify that ends a pending create: removes the mark (by value, so a create finished
/// meanwhile by another request fails with noSuchAttribute instead of being finished twice)
/// and sets the lock state the request asked for (the add locked the unfinished entry).
std::vector<ldap::modification> finish_create_changes(const resource_profile& resource,
                                                      const desired_entry& desired);

/// Whether the entry is an unfinished create of the bridge (it holds the pending mark).
bool is_pending_create(const resource_profile& resource, const ldap::entry& entry);

}  // namespace scimldap::mapping
