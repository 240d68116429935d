// Group membership as value-level LDAP changes, the PATCH engine's plan for members: member
// operations composed without reading the member list, the modifications they become, and the
// placeholder a groupOfNames keeps while it has no SCIM member (docs/mapping.md, "Groups").
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile.hpp"

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

namespace scimldap::mapping {

/// What a request does to a group's members, composed from its operations in order without
/// knowing the current list: a delta (ids to add, ids to remove) or a whole new list.
class member_changes {
public:
    /// RFC 7644 §3.5.2.1: adding a present member changes nothing (checked when writing).
    void add(const std::vector<std::string>& ids);
    /// Removing an absent member changes nothing (IdPs retry removals).
    void remove(const std::vector<std::string>& ids);
    /// The members become exactly `ids` (an empty list empties the group).
    void replace(const std::vector<std::string>& ids);

    /// True when no operation touched the members.
    bool untouched() const { return !touched_; }
    /// True when the result is a whole list (replace, remove all) rather than a delta.
    bool is_replacement() const { return replacement_; }
    /// Delta: the ids to add. Replacement: the whole new list.
    const std::vector<std::string>& added() const { return added_; }
    /// Delta only: the ids to remove.
    const std::vector<std::string>& removed() const { return removed_; }

private:
    bool touched_ = false;
    bool replacement_ = false;
    std::vector<std::string> added_;
    std::vector<std::string> removed_;
};

/// A PATCH request split in two: member operations (value-level LDAP changes) and the rest
/// (the shared PATCH engine, applied to the group without its members).
struct group_patch {
    member_changes members;
    std::vector<patch_operation> others;
    /// A member operation only the engine can apply (a member filter other than `value eq`,
    /// a sub-attribute path): the whole request then goes through the engine on the full group.
    bool needs_engine = false;
};

/// Splits `ops`; 400 invalidValue naming the operation when a member value is not an id
/// (a string or an object with a string "value").
scim::result<group_patch> split_member_operations(const resource_profile& group,
                                                  const std::vector<patch_operation>& ops);

/// The ids of a members value as PATCH, POST and PUT carry it: `[{"value": id}, ...]`, a single
/// object or a bare id; `$ref`, `type` and `display` are ignored (derived on read). `what`
/// prefixes error details.
scim::result<std::vector<std::string>> member_ids(const boost::json::value& value,
                                                  const std::string& what);

/// The ids present in `body` under "members" (any case), or nullopt when the body has no such
/// key. JSON null counts as an empty list (RFC 7644: null clears).
scim::result<std::optional<std::vector<std::string>>> body_member_ids(
    const boost::json::value& body);

/// RFC 3876 values-return filter that keeps, of `member_attribute`, only `named` DNs (and the
/// placeholder), and every value of `other_attributes`: the pre-check of a delta change reads
/// just the values it names, never the whole list.
std::string named_values_filter(const std::string& member_attribute,
                                const std::vector<ldap::dn>& named,
                                const std::vector<std::string>& other_attributes);

/// The modifications of a delta change, given which of the named DNs the group holds
/// (`present`: normalised DNs, placeholder included when present): add only the absent, delete
/// only the present, and take the placeholder out when the first real member arrives.
std::vector<ldap::modification> delta_modifications(const members_settings& members,
                                                    const std::vector<ldap::dn>& to_add,
                                                    const std::vector<ldap::dn>& to_remove,
                                                    const std::vector<std::string>& present);

/// The modifications that turn the current member values into exactly `wanted` (value-level:
/// only changed DNs); an empty `wanted` leaves only the placeholder.
std::vector<ldap::modification> replacement_modifications(const members_settings& members,
                                                          const std::vector<std::string>& current,
                                                          const std::vector<ldap::dn>& wanted);

/// groupOfNames must keep a member: adds the placeholder to modifications that would remove the
/// last one (the directory answered objectClassViolation).
void keep_placeholder(const members_settings& members, std::vector<ldap::modification>& changes);

/// The member values a new group starts with: the DNs, or the placeholder when there are none.
std::vector<std::string> initial_members(const members_settings& members,
                                         const std::vector<ldap::dn>& dns);

}  // namespace scimldap::mapping
