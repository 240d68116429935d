#include "mapping/create_plan.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "mapping/active_state.hpp"

#include <algorithm>
#include <iterator>

namespace scimldap::mapping {
namespace {

bool joins_role_groups(const resource_profile& resource, const desired_entry& desired) {
    if (!resource.user_type || !resource.user_type->role_groups) {
        return false;
    }
    return desired.user_type.has_value() || !resource.user_type->default_roles.empty();
}

}  // namespace

bool password_travels_in_add(const resource_profile& resource) {
    return resource.password && resource.password->create == password_settings::on_create::in_add;
}

bool create_needs_more_steps(const resource_profile& resource, const desired_entry& desired) {
    const bool password_modify_after = desired.password && !password_travels_in_add(resource);
    return password_modify_after || joins_role_groups(resource, desired);
}

add_plan plan_add(const resource_profile& resource, const desired_entry& desired,
                  const ldap::dn& base) {
    add_plan plan{ldap::make_child_dn(resource.rdn_attribute, desired.rdn_value, base),
                  {{"objectClass", resource.object_classes}},
                  std::nullopt,
                  false};
    for (const auto& a : desired.attributes) {
        if (!a.values.empty()) {
            plan.attributes.push_back(a);
        }
    }
    plan.pending =
        resource.pending_create.has_value() && create_needs_more_steps(resource, desired);
    const bool inactive = desired.active.has_value() && !*desired.active;
    if (resource.active && (inactive || plan.pending)) {
        // An unfinished create stays locked until its last step: a half-made account that is
        // never completed cannot be used.
        for (auto& a : inactive_attributes(*resource.active)) {
            plan.attributes.push_back(std::move(a));
        }
    }
    if (plan.pending) {
        plan.attributes.push_back(
            {resource.pending_create->ldap, {resource.pending_create->value}});
    }
    if (desired.password && password_travels_in_add(resource)) {
        plan.password = ldap::attribute{resource.password->ldap, {*desired.password}};
    }
    return plan;
}

std::vector<ldap::modification> finish_create_changes(const resource_profile& resource,
                                                      const desired_entry& desired) {
    std::vector<ldap::modification> changes;
    if (resource.pending_create) {
        changes.push_back({ldap::mod_op::remove,
                           resource.pending_create->ldap,
                           {resource.pending_create->value}});
    }
    if (resource.active) {
        // Whatever the entry holds: ppolicy may have removed the lock already (Password Modify).
        auto active = active_changes(*resource.active, nullptr, desired.active.value_or(true));
        changes.insert(changes.end(), std::make_move_iterator(active.begin()),
                       std::make_move_iterator(active.end()));
    }
    return changes;
}

bool is_pending_create(const resource_profile& resource, const ldap::entry& entry) {
    if (!resource.pending_create) {
        return false;
    }
    const auto* values = entry.find(resource.pending_create->ldap);
    return values != nullptr &&
           std::any_of(values->begin(), values->end(), [&](const std::string& v) {
               return ascii::iequals(v, resource.pending_create->value);
           });
}

}  // namespace scimldap::mapping
