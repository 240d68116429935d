#include "bridge/scim/user_writes.hpp"
#include "bridge/scim/reference_upkeep.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "base/filter_builder.hpp"
#include "bridge/scim/audit_trail.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "mapping/active_state.hpp"
#include "mapping/create_plan.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/id_filter.hpp"
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

namespace {

/// slapd's ppolicy deletes pwdAccountLockedTime when a password is set (also by Password
/// Modify): lock the entry again. Until then its end-time mark, which ppolicy keeps, refuses
/// binds and tells a retry that the account is inactive. `current`: the entry as read before
/// the write (nullptr for a new one).
asio::awaitable<result<void>> keep_locked_after_password(directory& dir,
                                                         const mapping::resource_profile& user,
                                                         const ldap::entry* current,
                                                         const ldap::dn& name, bool active) {
    if (!user.active || active) {
        co_return result<void>{};
    }
    auto changes = mapping::lock_changes(*user.active, current);
    auto locked = co_await dir.modify(name, std::move(changes), "active");
    if (!locked) {
        co_return locked.error();
    }
    co_return result<void>{};
}

}  // namespace

/// After an add failed with entryAlreadyExists: completes the entry with this request when
/// it is the bridge's own unfinished create that no request of this process is still making;
/// otherwise the 409 the add gave.
asio::awaitable<result<std::string>> complete_pending_create(
    directory& dir, const mapping::resource_profile& user, const ldap::dn& name,
    const mapping::desired_entry& desired, const creates_in_flight::registration& in_flight,
    error exists) {
    ldap::search_request request;
    request.base = name;
    request.scope = ldap::scope::base;
    request.attributes = user.all_ldap_attributes();
    if (user.pending_create) {
        request.attributes.push_back(user.pending_create->ldap);
    }
    auto found = co_await dir.search(std::move(request), user.name);
    if (!found) {
        co_return found.error().is(ldap::rc::no_such_object) ? exists : found.error();
    }
    if (found->entries.empty() || !mapping::is_pending_create(user, found->entries.front()) ||
        in_flight.others_running()) {
        co_return exists;
    }
    const ldap::entry& current = found->entries.front();
    // The earlier attempt may have stopped before it took out what was left naming the DN; its
    // own role joins go too and are made again below.
    if (auto ok = co_await drop_references(dir, user, name); !ok) {
        co_return ok.error();
    }
    if (desired.password) {
        // The earlier attempt's password may differ from this request's.
        if (auto ok = co_await dir.set_password(user, name, *desired.password); !ok) {
            co_return ok.error();
        }
    }
    if (user.user_type && user.user_type->role_groups) {
        std::vector<std::string> leave;
        const auto before = current.first(user.user_type->ldap);
        if (before && before != desired.user_type) {
            leave.push_back(*before);
        }
        const auto* member_of = user.groups ? current.find(user.groups->ldap) : nullptr;
        const auto roles = roles_for(*user.user_type, desired.user_type, true);
        for (auto& role : roles_without_member_of(dir, *user.user_type, roles, member_of)) {
            leave.push_back(std::move(role));  // joined again below, memberOf with it
        }
        if (auto ok = co_await leave_roles(dir, *user.user_type, name, leave); !ok) {
            co_return ok.error();
        }
    }
    if (auto ok = co_await complete_create(dir, user, name, desired, false, false); !ok) {
        co_return ok.error();
    }
    // The attributes this request gives, with the last write: a retry with another body
    // leaves the entry as this body says.
    auto changes = mapping::diff_entry(current, desired.attributes, user.rdn_attribute);
    if (auto ok = co_await finish_create(dir, user, name, desired, std::move(changes)); !ok) {
        if (ok.error().is(ldap::rc::no_such_attribute)) {
            co_return exists;  // another bridge finished it meanwhile: it exists now
        }
        co_return ok.error();
    }
    co_return co_await dir.id_of_new_entry(user, name);
}

/// The steps after the add: the password through Password Modify (when it did not travel in
/// the add) and the role groups. `relock` keeps an inactive user locked after Password
/// Modify, which ppolicy unlocks (a pending create's last write sets the lock instead).
asio::awaitable<result<void>> complete_create(directory& dir, const mapping::resource_profile& user,
                                              const ldap::dn& name,
                                              const mapping::desired_entry& desired,
                                              bool set_password, bool relock) {
    if (set_password && desired.password) {
        if (auto ok = co_await dir.set_password(user, name, *desired.password); !ok) {
            co_return ok.error();
        }
        if (relock) {
            const bool active = desired.active.value_or(true);
            if (auto ok = co_await keep_locked_after_password(dir, user, nullptr, name, active);
                !ok) {
                co_return ok.error();
            }
        }
    }
    if (user.user_type) {
        const auto roles = roles_for(*user.user_type, desired.user_type, true);
        if (auto ok = co_await join_roles(dir, *user.user_type, name, roles); !ok) {
            co_return ok.error();
        }
    }
    co_return result<void>{};
}

/// The last write of a pending create: the remaining attribute changes, the lock state asked
/// for and the pending mark removed, in one modify.
asio::awaitable<result<void>> finish_create(directory& dir, const mapping::resource_profile& user,
                                            const ldap::dn& name,
                                            const mapping::desired_entry& desired,
                                            std::vector<ldap::modification> changes) {
    auto finish = mapping::finish_create_changes(user, desired);
    changes.insert(changes.end(), std::make_move_iterator(finish.begin()),
                   std::make_move_iterator(finish.end()));
    auto finished = co_await dir.modify(name, std::move(changes), user.name);
    if (!finished) {
        co_return finished.error();
    }
    co_return result<void>{};
}

/// After the entry's own write: the password and the role moves.
asio::awaitable<result<void>> finish_write(directory& dir, const mapping::resource_profile& user,
                                           const ldap::entry& current, const ldap::dn& name,
                                           const mapping::desired_entry& desired) {
    if (test_hooks::after_user_write) {
        test_hooks::after_user_write(name.str());
    }
    if (desired.password) {
        if (auto ok = co_await dir.set_password(user, name, *desired.password); !ok) {
            co_return ok.error();
        }
        const bool active =
            desired.active.value_or(!user.active || mapping::is_active(*user.active, current));
        if (auto ok = co_await keep_locked_after_password(dir, user, &current, name, active); !ok) {
            co_return ok.error();
        }
    }
    if (user.user_type && user.user_type->role_groups) {
        // A user in no group has no member-of values: that is an empty list, not unmapped.
        static const std::vector<std::string> none;
        const auto* member_of = user.groups ? current.find(user.groups->ldap) : nullptr;
        if (user.groups && member_of == nullptr) {
            member_of = &none;
        }
        const role_moves moves =
            plan_role_moves(dir, *user.user_type, current.first(user.user_type->ldap),
                            desired.user_type, member_of);
        if (auto ok = co_await join_roles(dir, *user.user_type, name, moves.stale); !ok) {
            co_return ok.error();
        }
        auto leave = moves.leave;
        leave.insert(leave.end(), moves.stale.begin(), moves.stale.end());
        if (auto ok = co_await leave_roles(dir, *user.user_type, name, leave); !ok) {
            co_return ok.error();
        }
        if (auto ok = co_await join_roles(dir, *user.user_type, name, moves.join); !ok) {
            co_return ok.error();
        }
    }
    co_return result<void>{};
}

/// Archive mode: lock the account, leave its roles, and move it out of the SCIM base.
asio::awaitable<result<void>> archive_user(directory& dir, const mapping::resource_profile& user,
                                           const ldap::entry& current) {
    if (user.active) {
        auto changes = mapping::lock_changes(*user.active, &current);
        auto locked = co_await dir.modify(current.name, std::move(changes), "active");
        if (!locked) {
            co_return locked.error();
        }
    }
    if (user.user_type && user.user_type->role_groups) {
        // Every role group goes: the userType's, the default roles, and any a failed earlier
        // role move left behind. An archived account holds no role.
        std::vector<std::string> roles;
        if (const auto role = current.first(user.user_type->ldap)) {
            roles.push_back(*role);
        }
        if (const auto* member_of = user.groups ? current.find(user.groups->ldap) : nullptr) {
            for (auto& r : roles_in_member_of(dir, *user.user_type, *member_of)) {
                if (std::find(roles.begin(), roles.end(), r) == roles.end()) {
                    roles.push_back(std::move(r));
                }
            }
        }
        if (auto ok = co_await leave_roles(dir, *user.user_type, current.name, roles); !ok) {
            co_return ok.error();
        }
    }
    const auto parts = ldap::split_dn(current.name);
    std::optional<ldap::dn> archive = dir.tenant().archive_base;
    std::string rdn = parts->rdn;
    auto moved = co_await dir.rename(current.name, rdn, archive, user.name);
    if (!moved && moved.error().is(ldap::rc::already_exists)) {
        // An archived entry of the same name exists: keep both, told apart by the id.
        const auto old = ldap::rdn_value(parts->rdn, user.rdn_attribute).value_or("");
        const auto id = current.first(user.id_attribute).value_or("");
        rdn = ldap::make_rdn(user.rdn_attribute, old + "." + id);
        auto unique_rdn = rdn;
        moved = co_await dir.rename(current.name, std::move(unique_rdn), archive, user.name);
    }
    if (!moved) {
        co_return moved.error();
    }
    // Its groups and the managers naming it follow it to the archive.
    const ldap::dn archived(rdn + "," + archive->str());
    co_await follow_rename(dir, user, current.name, archived);
    co_return result<void>{};
}

namespace {

/// The entries of `user` one level under `base` matching `filter` (at most `limit`, DNs only).
asio::awaitable<result<std::vector<ldap::entry>>> archived_entries(
    directory& dir, const mapping::resource_profile& user, const ldap::dn& base,
    ldap::filter filter, int limit) {
    ldap::search_request request;
    request.base = base;
    request.scope = ldap::scope::one;
    request.filter = std::move(filter);
    request.attributes = {"1.1"};
    request.size_limit = limit;
    auto found = co_await dir.search(std::move(request), user.name);
    if (!found) {
        co_return found.error();
    }
    co_return std::move(found->entries);
}

asio::awaitable<bool> entry_exists(directory& dir, const ldap::dn& name, std::string_view what) {
    ldap::search_request request;
    request.base = name;
    request.scope = ldap::scope::base;
    request.attributes = {"1.1"};
    auto found = co_await dir.search(std::move(request), what);
    // Unsure (an error other than noSuchObject) counts as taken: moving values wrongly is worse.
    co_return !found ? !found.error().is(ldap::rc::no_such_object) : !found->entries.empty();
}

}  // namespace

asio::awaitable<void> finish_archive_move(directory& dir, const mapping::resource_profile& user,
                                          std::string_view id) {
    const auto& archive = dir.tenant().archive_base;
    if (!archive || !mapping::may_name_entry(user, id)) {
        co_return;
    }
    auto found = co_await archived_entries(dir, user, *archive, mapping::id_filter(user, id), 2);
    if (!found || found->size() != 1) {
        co_return;
    }
    const ldap::dn archived = found->front().name;
    const auto parts = ldap::split_dn(archived);
    const auto name = parts ? ldap::rdn_value(parts->rdn, user.rdn_attribute) : std::nullopt;
    if (!name) {
        co_return;
    }
    // Only an entry archived under its own name: one archived as <name>.<id> (another of its
    // name was archived first) cannot tell its leftovers from those of the others, and neither
    // can the first while such a later one exists.
    auto namesakes = co_await archived_entries(
        dir, user, *archive, ldap::filters::starts_with(user.rdn_attribute, *name + "."), 1);
    if (!namesakes || !namesakes->empty()) {
        co_return;
    }
    const ldap::dn before = ldap::make_child_dn(user.rdn_attribute, *name, dir.base_of(user));
    // A user made at the old DN since owns the values naming it (its create dropped the rest).
    const bool taken = co_await entry_exists(dir, before, user.name);
    if (taken) {
        co_return;
    }
    if (auto* audit = dir.audit()) {
        audit->found(archived, id);
    }
    co_await follow_rename(dir, user, before, archived);
}

}  // namespace scimldap::scim
