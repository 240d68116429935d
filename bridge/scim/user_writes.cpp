#include "bridge/scim/user_writes.hpp"

#include "bridge/ldap/escape.hpp"
#include "mapping/resource_reader.hpp"

#include <algorithm>

namespace scimldap::scim {
namespace asio = boost::asio;

std::vector<std::string> roles_for(const mapping::user_type_settings& settings,
                                   const std::optional<std::string>& user_type, bool on_create) {
    std::vector<std::string> roles;
    if (!settings.role_groups) {
        return roles;
    }
    if (user_type) {
        roles.push_back(*user_type);
    }
    if (on_create) {
        for (const auto& r : settings.default_roles) {
            if (std::find(roles.begin(), roles.end(), r) == roles.end()) {
                roles.push_back(r);
            }
        }
    }
    return roles;
}

namespace {

ldap::dn role_dn(const directory& dir, const mapping::user_type_settings& s,
                 const std::string& role) {
    return ldap::make_child_dn(s.role_rdn_attribute, role, dir.tenant().roles_base);
}

}  // namespace

asio::awaitable<result<void>> join_roles(directory& dir, const mapping::user_type_settings& s,
                                         const ldap::dn& member,
                                         const std::vector<std::string>& roles) {
    for (const auto& role : roles) {
        const ldap::dn group = role_dn(dir, s, role);
        for (int attempt = 0; attempt < 2; ++attempt) {
            std::vector<ldap::modification> join{
                ldap::modification{ldap::mod_op::add, s.role_member_attribute, {member.str()}}};
            auto joined = co_await dir.modify(group, std::move(join), "userType");
            if (joined || joined.error().is(ldap::rc::type_or_value_exists)) {
                break;  // a retried request may find the membership already there
            }
            if (!joined.error().is(ldap::rc::no_such_object)) {
                co_return joined.error();
            }
            std::vector<ldap::attribute> entry;
            entry.push_back(ldap::attribute{"objectClass", {s.role_object_class}});
            entry.push_back(ldap::attribute{s.role_rdn_attribute, {role}});
            entry.push_back(ldap::attribute{s.role_member_attribute, {member.str()}});
            auto created = co_await dir.add(group, std::move(entry), "userType");
            if (created) {
                break;
            }
            if (!created.error().is(ldap::rc::already_exists)) {
                co_return created.error();
            }
            // Created concurrently by another request: add the membership again.
        }
    }
    co_return result<void>{};
}

asio::awaitable<result<void>> leave_roles(directory& dir, const mapping::user_type_settings& s,
                                          const ldap::dn& member,
                                          const std::vector<std::string>& roles) {
    const auto& placeholder = dir.tenant().profile->group.members
                                  ? dir.tenant().profile->group.members->placeholder_dn
                                  : ldap::dn();
    for (const auto& role : roles) {
        const ldap::dn group = role_dn(dir, s, role);
        std::vector<ldap::modification> leave{
            ldap::modification{ldap::mod_op::remove, s.role_member_attribute, {member.str()}}};
        auto left = co_await dir.modify(group, std::move(leave), "userType");
        if (left || left.error().is(ldap::rc::no_such_attribute) ||
            left.error().is(ldap::rc::no_such_object)) {
            continue;
        }
        if (!left.error().is(ldap::rc::object_class_violation) || placeholder.empty()) {
            co_return left.error();
        }
        // The last member: groupOfNames needs one, so the placeholder takes its place.
        std::vector<ldap::modification> swap;
        swap.push_back({ldap::mod_op::add, s.role_member_attribute, {placeholder.str()}});
        swap.push_back({ldap::mod_op::remove, s.role_member_attribute, {member.str()}});
        auto swapped = co_await dir.modify(group, std::move(swap), "userType");
        if (!swapped) {
            co_return swapped.error();
        }
    }
    co_return result<void>{};
}

std::vector<std::string> roles_without_member_of(const directory& dir,
                                                 const mapping::user_type_settings& s,
                                                 const std::vector<std::string>& roles,
                                                 const std::vector<std::string>* member_of) {
    std::vector<std::string> missing;
    for (const auto& role : roles) {
        const std::string group = ldap::normalize_dn(role_dn(dir, s, role));
        const bool named =
            member_of != nullptr &&
            std::any_of(member_of->begin(), member_of->end(), [&](const std::string& v) {
                return ldap::normalize_dn(ldap::dn(v)) == group;
            });
        if (!named) {
            missing.push_back(role);
        }
    }
    return missing;
}

namespace {

bool contains(const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

std::vector<std::string> roles_in_member_of(const directory& dir,
                                            const mapping::user_type_settings& s,
                                            const std::vector<std::string>& member_of) {
    std::vector<std::string> roles;
    const std::string roles_base = ldap::normalize_dn(dir.tenant().roles_base);
    for (const auto& value : member_of) {
        const auto parts = ldap::split_dn(ldap::dn(value));
        if (!parts || ldap::normalize_dn(parts->parent) != roles_base) {
            continue;
        }
        if (auto role = ldap::rdn_value(parts->rdn, s.role_rdn_attribute)) {
            roles.push_back(std::move(*role));
        }
    }
    return roles;
}

role_moves plan_role_moves(const directory& dir, const mapping::user_type_settings& s,
                           const std::optional<std::string>& before,
                           const std::optional<std::string>& desired,
                           const std::vector<std::string>* member_of) {
    role_moves moves;
    const auto wanted = roles_for(s, desired, false);
    if (before && before != desired) {
        moves.leave.push_back(*before);
    }
    if (member_of == nullptr) {
        // Without member-of values only the stored userType tells what to move.
        if (before != desired) {
            moves.join = wanted;
        }
        return moves;
    }
    // A role group that a failed earlier move left the user in. Default roles stay: every user
    // holds them whatever its userType.
    for (auto& role : roles_in_member_of(dir, s, *member_of)) {
        if (role != before && !contains(wanted, role) && !contains(s.default_roles, role)) {
            moves.stale.push_back(std::move(role));
        }
    }
    moves.join = before != desired ? wanted : roles_without_member_of(dir, s, wanted, member_of);
    return moves;
}

std::optional<ldap::modification> active_change(const mapping::active_settings& s,
                                                const ldap::entry* current, bool active) {
    if (current != nullptr && mapping::is_active(s, *current) == active) {
        return std::nullopt;
    }
    if (s.how == mapping::active_settings::strategy::ppolicy_lock) {
        if (active) {
            return ldap::modification{ldap::mod_op::remove, s.ldap, {}};
        }
        return ldap::modification{ldap::mod_op::replace, s.ldap, {s.inactive_value}};
    }
    return ldap::modification{
        ldap::mod_op::replace, s.ldap, {active ? s.true_value : s.false_value}};
}

}  // namespace scimldap::scim
