#include "mapping/active_state.hpp"

#include "base/ascii_case.hpp"
#include "mapping/resource_reader.hpp"

#include <algorithm>

namespace scimldap::mapping {
namespace {

bool writes_end_mark(const active_settings& s) {
    return s.how == active_settings::strategy::ppolicy_lock && !s.end_ldap.empty();
}

/// An end time that is not the bridge's mark: an admin's expiry, which the bridge leaves alone.
bool has_own_end_time(const active_settings& s, const ldap::entry& entry) {
    const auto* values = entry.find(s.end_ldap);
    return values != nullptr && std::any_of(values->begin(), values->end(), [&](const auto& v) {
               return !ascii::iequals(v, s.end_value);
           });
}

}  // namespace

std::vector<ldap::attribute> inactive_attributes(const active_settings& s) {
    if (s.how == active_settings::strategy::attribute) {
        return {{s.ldap, {s.false_value}}};
    }
    std::vector<ldap::attribute> out{{s.ldap, {s.inactive_value}}};
    if (writes_end_mark(s)) {
        out.push_back({s.end_ldap, {s.end_value}});
    }
    return out;
}

std::vector<ldap::modification> lock_changes(const active_settings& s, const ldap::entry* current) {
    if (s.how == active_settings::strategy::attribute) {
        return {{ldap::mod_op::replace, s.ldap, {s.false_value}}};
    }
    std::vector<ldap::modification> out{{ldap::mod_op::replace, s.ldap, {s.inactive_value}}};
    if (writes_end_mark(s) && (current == nullptr || !has_own_end_time(s, *current))) {
        out.push_back({ldap::mod_op::replace, s.end_ldap, {s.end_value}});
    }
    return out;
}

std::vector<ldap::modification> active_changes(const active_settings& s, const ldap::entry* current,
                                               bool active) {
    if (s.how == active_settings::strategy::attribute) {
        if (current != nullptr && is_active(s, *current) == active) {
            return {};
        }
        return {{ldap::mod_op::replace, s.ldap, {active ? s.true_value : s.false_value}}};
    }
    if (!active) {
        // An inactive entry without the mark (locked before the mark existed, or by an admin)
        // gets it, so a later password change cannot make it active.
        const bool settled =
            current != nullptr && !is_active(s, *current) &&
            (!writes_end_mark(s) || has_end_mark(s, *current) || has_own_end_time(s, *current));
        return settled ? std::vector<ldap::modification>{} : lock_changes(s, current);
    }
    if (current != nullptr && is_active(s, *current)) {
        return {};
    }
    std::vector<ldap::modification> out{{ldap::mod_op::replace, s.ldap, {}}};
    if (writes_end_mark(s) && (current == nullptr || has_end_mark(s, *current))) {
        out.push_back({ldap::mod_op::replace, s.end_ldap, {}});
    }
    return out;
}

}  // namespace scimldap::mapping
