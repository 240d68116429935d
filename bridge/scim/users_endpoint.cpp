#include "bridge/scim/users_endpoint.hpp"

#include "bridge/ldap/controls.hpp"
#include "bridge/ldap/escape.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/creates_in_flight.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/resource_endpoint.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "bridge/scim/user_writes.hpp"
#include "mapping/create_plan.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/patch.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/json.hpp>
#include "bridge/ldap/ascii_case.hpp"

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;
using mapping::projection;

namespace {

/// An entry an administrator made may lack the profile's auxiliary class (scimBridgeObject):
/// adding values of its attributes (externalId) then needs the class added in the same modify.
std::optional<ldap::modification> missing_object_classes(
    const mapping::resource_profile& resource, const ldap::entry& current,
    const std::vector<ldap::modification>& changes) {
    const bool adds_values = std::any_of(
        changes.begin(), changes.end(), [](const auto& c) { return c.op != ldap::mod_op::remove; });
    if (!adds_values) {
        return std::nullopt;
    }
    const auto* have = current.find("objectClass");
    std::vector<std::string> missing;
    for (const auto& oc : resource.object_classes) {
        const bool present = have && std::any_of(have->begin(), have->end(), [&](const auto& v) {
                                 return ascii::iequals(v, oc);
                             });
        if (!present) {
            missing.push_back(oc);
        }
    }
    if (missing.empty()) {
        return std::nullopt;
    }
    return ldap::modification{ldap::mod_op::add, "objectClass", std::move(missing)};
}

class user_behaviour final : public resource_behaviour {
public:
    const mapping::resource_profile& resource(const tenant_view& tenant) const override {
        return tenant.profile->user;
    }

    asio::awaitable<result<std::optional<found_entry>>> find(
        resource_request& r, std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references) override {
        return r.dir.find_by_id(r.resource, r.id, std::move(attributes), references,
                                r.resource.name);
    }

    patch_reply patch_answer(const tenant_view& tenant) const override {
        return tenant.patch_no_content ? patch_reply::no_content_with_etag : patch_reply::resource;
    }

    /// The role groups an archived user leaves.
    std::vector<std::string> remove_attributes(
        const mapping::resource_profile& user) const override {
        std::vector<std::string> attributes;
        if (user.user_type) {
            attributes.push_back(user.user_type->ldap);
        }
        if (user.groups) {
            attributes.push_back(user.groups->ldap);
        }
        return attributes;
    }

    asio::awaitable<result<void>> remove(resource_request& r, const ldap::entry& current) override {
        if (r.resource.deletion.how == mapping::delete_settings::mode::archive &&
            r.ctx.tenant.archive_base) {
            co_return co_await archive_user(r.dir, r.resource, current);
        }
        // Group and role memberships go with the entry (memberof-refint / refint).
        co_return co_await resource_behaviour::remove(r, current);
    }

private:
    /// Fills reference attributes (manager) with the DNs of the ids the body names.
    asio::awaitable<result<void>> resolve_references(directory& dir,
                                                     mapping::desired_entry& desired) {
        for (const auto& ref : desired.references) {
            if (ref.ids.empty()) {
                continue;
            }
            const std::string path = ref.mapping->scim.to_string("");
            auto dns = co_await dir.dns_of_ids(ref.ids, ref.mapping->reference_types, path);
            if (!dns) {
                co_return dns.error();
            }
            for (auto& a : desired.attributes) {
                if (ascii::iequals(a.name, ref.mapping->ldap)) {
                    for (const auto& d : *dns) {
                        a.values.push_back(d.str());
                    }
                }
            }
        }
        co_return result<void>{};
    }

public:
    asio::awaitable<result<std::string>> create(resource_request& r,
                                                const json::value& body) override {
        directory& dir = r.dir;
        const auto& user = r.resource;
        auto desired = mapping::from_resource(user, body);
        if (!desired) {
            co_return desired.error();
        }
        if (desired->rdn_value.empty()) {
            co_return error{errc::invalid_value, "required attribute 'userName' is missing"};
        }
        if (auto ok = co_await resolve_references(dir, *desired); !ok) {
            co_return ok.error();
        }
        auto plan = mapping::plan_add(user, *desired, dir.base_of(user));
        const ldap::dn name = plan.name;
        const auto in_flight = creates_.enter(name);
        auto attributes = plan.attributes;
        if (plan.password) {
            attributes.push_back(*plan.password);
        }
        auto added = co_await dir.add(name, std::move(attributes), "userName");
        if (!added) {
            if (!added.error().is(ldap::rc::already_exists)) {
                co_return added.error();
            }
            // RFC 7644 §3.3: an existing userName is 409, unless the entry is this bridge's own
            // unfinished create (an earlier attempt failed after its add): the IdP's retry
            // completes it.
            auto exists = added.error();
            co_return co_await complete_pending_create(dir, user, name, *desired, in_flight,
                                                       std::move(exists));
        }
        if (test_hooks::after_create_add) {
            test_hooks::after_create_add(name.str());
        }
        if (plan.pending) {
            // Nothing is undone on failure: the entry keeps its pending mark (hidden, locked)
            // and the retry completes it, which is safe even when this request's outcome was
            // unknown (a timeout) and a compensating delete could itself fail.
            const bool set_password = !mapping::password_travels_in_add(user);
            auto completed =
                co_await complete_create(dir, user, name, *desired, set_password, false);
            if (!completed) {
                co_return completed.error();
            }
            std::vector<ldap::modification> no_other_changes;
            auto finished =
                co_await finish_create(dir, user, name, *desired, std::move(no_other_changes));
            // No mark left: a retry on another bridge process completed this entry meanwhile.
            if (!finished && !finished.error().is(ldap::rc::no_such_attribute)) {
                co_return finished.error();
            }
        } else if (mapping::create_needs_more_steps(user, *desired)) {
            // No pending mark in this profile: the bridge could not tell its own half-made entry
            // from a user that exists, so a failed step removes the entry again.
            const bool set_password = !mapping::password_travels_in_add(user);
            auto completed =
                co_await complete_create(dir, user, name, *desired, set_password, true);
            if (!completed) {
                std::size_t ignored = 0;
                directory cleanup(dir.backend(), dir.tenant(), ignored);
                co_await cleanup.remove(name, "userName");
                co_return completed.error();
            }
        }
        co_return co_await id_of_new_entry(dir, user, name);
    }

private:
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
        if (desired.password) {
            // The earlier attempt's password may differ from this request's.
            if (auto ok = co_await dir.set_password(name, *desired.password); !ok) {
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
        co_return co_await id_of_new_entry(dir, user, name);
    }

    /// The steps after the add: the password through Password Modify (when it did not travel in
    /// the add) and the role groups. `relock` keeps an inactive user locked after Password
    /// Modify, which ppolicy unlocks (a pending create's last write sets the lock instead).
    asio::awaitable<result<void>> complete_create(directory& dir,
                                                  const mapping::resource_profile& user,
                                                  const ldap::dn& name,
                                                  const mapping::desired_entry& desired,
                                                  bool set_password, bool relock) {
        if (set_password && desired.password) {
            if (auto ok = co_await dir.set_password(name, *desired.password); !ok) {
                co_return ok.error();
            }
            if (relock) {
                const bool active = desired.active.value_or(true);
                if (auto ok = co_await keep_locked_after_password(dir, user, name, active); !ok) {
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
    asio::awaitable<result<void>> finish_create(directory& dir,
                                                const mapping::resource_profile& user,
                                                const ldap::dn& name,
                                                const mapping::desired_entry& desired,
                                                std::vector<ldap::modification> changes) {
        auto finish = mapping::finish_create_changes(user, desired);
        changes.insert(changes.end(), std::make_move_iterator(finish.begin()),
                       std::make_move_iterator(finish.end()));
        auto finished = co_await dir.modify(name, std::move(changes), "User");
        if (!finished) {
            co_return finished.error();
        }
        co_return result<void>{};
    }

    /// slapd's ppolicy deletes pwdAccountLockedTime when a password is set (also by Password
    /// Modify), so an inactive user would silently become active: lock the entry again.
    asio::awaitable<result<void>> keep_locked_after_password(directory& dir,
                                                             const mapping::resource_profile& user,
                                                             const ldap::dn& name, bool active) {
        if (!user.active || active) {
            co_return result<void>{};
        }
        auto lock = active_change(*user.active, nullptr, false);
        std::vector<ldap::modification> changes(1, std::move(*lock));
        auto locked = co_await dir.modify(name, std::move(changes), "active");
        if (!locked) {
            co_return locked.error();
        }
        co_return result<void>{};
    }

public:
    asio::awaitable<result<void>> replace(resource_request& r, const json::value& body,
                                          bool& retry) override {
        retry = false;
        auto desired = mapping::from_resource(r.resource, body);
        if (!desired) {
            co_return desired.error();
        }
        const std::vector<const mapping::attribute_mapping*> no_references;
        auto current =
            co_await r.endpoint.load_for_write(r, r.resource.all_ldap_attributes(), no_references);
        if (!current) {
            co_return current.error();
        }
        co_return co_await write_desired(r, current->entry, *desired, retry);
    }

    /// RFC 7644 §3.5.2: the operations apply to the SCIM view of the current entry; the result
    /// is written like a PUT, so only what changed reaches LDAP (nothing for a no-op PATCH).
    asio::awaitable<result<void>> patch(resource_request& r,
                                        const std::vector<mapping::patch_operation>& ops,
                                        bool& retry) override {
        retry = false;
        const auto& user = r.resource;
        const auto everything = projection::everything();
        const auto references = mapping::reference_mappings(user, everything);
        auto current =
            co_await r.endpoint.load_for_write(r, user.all_ldap_attributes(), references);
        if (!current) {
            co_return current.error();
        }
        const auto resolver = current->resolver();
        const std::string url = r.endpoint.base_url(r.ctx);
        const mapping::read_context rc{everything, url, resolver};
        auto patched =
            mapping::apply_patch(user, mapping::to_resource(user, current->entry, rc), ops);
        if (!patched) {
            co_return patched.error();
        }
        auto desired = mapping::from_resource(user, json::value(std::move(*patched)));
        if (!desired) {
            co_return desired.error();
        }
        co_return co_await write_desired(r, current->entry, *desired, retry);
    }

private:
    /// Turns the entry into what `desired` says: rename for a new userName, the smallest modify
    /// (asserting the version read, RFC 4528), the password, and the role moves. `retry` tells
    /// the caller the entry changed underneath and the whole request may be re-applied.
    asio::awaitable<result<void>> write_desired(resource_request& r, const ldap::entry& current,
                                                mapping::desired_entry& desired, bool& retry) {
        directory& dir = r.dir;
        const auto& user = r.resource;
        const auto id = mapping::id_of(user, current).value_or("");
        const bool client_condition = if_match(r.ctx).has_value();
        if (auto ok = co_await resolve_references(dir, desired); !ok) {
            co_return ok.error();
        }
        auto changes = mapping::diff_entry(current, desired.attributes, user.rdn_attribute);
        if (auto classes = missing_object_classes(user, current, changes)) {
            changes.insert(changes.begin(), std::move(*classes));
        }
        if (user.active && desired.active) {
            if (auto c = active_change(*user.active, &current, *desired.active)) {
                changes.push_back(std::move(*c));
            }
        }
        ldap::dn name = current.name;
        std::string version = current.first(user.meta.version).value_or("");
        const auto parts = ldap::split_dn(current.name);
        const auto old_rdn = parts ? ldap::rdn_value(parts->rdn, user.rdn_attribute) : std::nullopt;
        const bool rename = !desired.rdn_value.empty() && old_rdn && *old_rdn != desired.rdn_value;
        if (rename) {
            // userName is the RDN, so a new userName is a modrdn; the id (entryUUID) survives it.
            // Rename first, then the modify; a failed modify undoes the rename. (slapd 2.5.13
            // crashed on an RFC 5805 transaction whose rename the unique overlay refused, so no
            // transaction is used.)
            std::vector<ldap::control> controls;
            // slapd's unique overlay tests a rename's assertion against its internal search base
            // (the People OU) too: the condition must hold there.
            controls.push_back(assert_version_of(version, user.id_attribute, id));
            controls.push_back(
                ldap::controls::post_read(std::vector<std::string>{user.meta.version}));
            std::string new_rdn = ldap::make_rdn(user.rdn_attribute, desired.rdn_value);
            auto renamed =
                co_await dir.rename(name, std::move(new_rdn), std::nullopt, "userName", controls);
            if (!renamed) {
                co_return lost_race(renamed.error(), client_condition, retry);
            }
            name = ldap::make_child_dn(user.rdn_attribute, desired.rdn_value, parts->parent);
            if (auto after = ldap::controls::parse_read_entry(renamed->controls)) {
                version = after->first(user.meta.version).value_or(version);
            }
        }
        if (!changes.empty()) {
            std::vector<ldap::control> controls;
            controls.push_back(assert_version(version));
            auto modified = co_await dir.modify(name, changes, "User", controls);
            if (!modified) {
                if (rename) {
                    // Undo the rename so a failed request leaves the entry as it was.
                    std::size_t ignored = 0;
                    directory undo(dir.backend(), dir.tenant(), ignored);
                    std::string back = ldap::make_rdn(user.rdn_attribute, *old_rdn);
                    co_await undo.rename(name, std::move(back), std::nullopt, "userName");
                }
                co_return lost_race(modified.error(), client_condition, retry);
            }
        }
        co_return co_await finish_write(dir, user, current, name, desired);
    }

    /// After the entry's own write: the password and the role moves, then the read-back.
    asio::awaitable<result<void>> finish_write(directory& dir,
                                               const mapping::resource_profile& user,
                                               const ldap::entry& current, const ldap::dn& name,
                                               const mapping::desired_entry& desired) {
        if (test_hooks::after_user_write) {
            test_hooks::after_user_write(name.str());
        }
        if (desired.password) {
            if (auto ok = co_await dir.set_password(name, *desired.password); !ok) {
                co_return ok.error();
            }
            const bool active =
                desired.active.value_or(!user.active || mapping::is_active(*user.active, current));
            if (auto ok = co_await keep_locked_after_password(dir, user, name, active); !ok) {
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
    asio::awaitable<result<void>> archive_user(directory& dir,
                                               const mapping::resource_profile& user,
                                               const ldap::entry& current) {
        if (user.active) {
            if (auto lock = active_change(*user.active, nullptr, false)) {
                std::vector<ldap::modification> changes(1, *lock);
                auto locked = co_await dir.modify(current.name, std::move(changes), "active");
                if (!locked) {
                    co_return locked.error();
                }
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
        auto moved = co_await dir.rename(current.name, parts->rdn, archive, "User");
        if (!moved && moved.error().is(ldap::rc::already_exists)) {
            // An archived entry of the same name exists: keep both, told apart by the id.
            const auto old = ldap::rdn_value(parts->rdn, user.rdn_attribute).value_or("");
            const auto id = current.first(user.id_attribute).value_or("");
            std::string unique_rdn = ldap::make_rdn(user.rdn_attribute, old + "." + id);
            moved = co_await dir.rename(current.name, std::move(unique_rdn), archive, "User");
        }
        if (!moved) {
            co_return moved.error();
        }
        co_return result<void>{};
    }

    creates_in_flight creates_;
};

}  // namespace

void register_user_routes(router& routes, ldap::operations& backend, endpoint_settings settings) {
    register_resource_routes(
        routes, "/Users",
        std::make_shared<resource_endpoint>(backend, routes.base_path(), std::move(settings),
                                            std::make_unique<user_behaviour>()));
}

}  // namespace scimldap::scim
