#include "mapping/active_state.hpp"

#include "mapping/resource_reader.hpp"

namespace scimldap::mapping {
namespace {

bool writes_end_mark(const active_settings& s) {
    return s.how == active_settings::strategy::ppolicy_lock && !s.end_ldap.empty();
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

std::vector<ldap::modification> active_changes(const active_settings& s, const ldap::entry* current,
                                               bool active) {
    if (current != nullptr && is_active(s, *current) == active) {
        return {};
    }
    if (s.how == active_settings::strategy::attribute) {
        return {{ldap::mod_op::replace, s.ldap, {active ? s.true_value : s.false_value}}};
    }
    if (!active) {
        std::vector<ldap::modification> out;
        for (auto& a : inactive_attributes(s)) {
            out.push_back({ldap::mod_op::replace, std::move(a.name), std::move(a.values)});
        }
        return out;
    }
    std::vector<ldap::modification> out{{ldap::mod_op::replace, s.ldap, {}}};
    // An end time the entry holds that is not the bridge's mark is an admin's expiry: it stays.
    if (writes_end_mark(s) && (current == nullptr || has_end_mark(s, *current))) {
        out.push_back({ldap::mod_op::replace, s.end_ldap, {}});
    }
    return out;
}

}  // namespace scimldap::mapping
