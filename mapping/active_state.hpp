// The LDAP writes that make an account active or inactive, by the profile's active strategy.
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"

#include <vector>

namespace scimldap::mapping {

/// The attributes an add carries for an inactive account (the lock, and its end-time mark).
std::vector<ldap::attribute> inactive_attributes(const active_settings& settings);

/// The modifications that lock an entry whatever it holds now (ppolicy may have taken the lock):
/// the lock, and the end-time mark unless `current` holds an end time of another value (an
/// admin's expiry: kept).
std::vector<ldap::modification> lock_changes(const active_settings& settings,
                                             const ldap::entry* current);

/// The modifications that make an entry active or inactive; none when `current` (the entry as
/// read) already is (an inactive one without the mark gets it). Without `current` they write
/// the state whatever the entry holds. Every removal is a replace with no values, so it is no
/// error when ppolicy already removed the lock.
std::vector<ldap::modification> active_changes(const active_settings& settings,
                                               const ldap::entry* current, bool active);

}  // namespace scimldap::mapping
