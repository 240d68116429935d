#include "bridge/scim/users_endpoint.hpp"
#include "bridge/scim/reference_upkeep.hpp"

#include "base/escape.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/creates_in_flight.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/resource_endpoint.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "bridge/scim/user_writes.hpp"
#include "mapping/active_state.hpp"
#include "mapping/create_plan.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/patch.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;
using mapping::projection;

namespace {

/// A resource whose entry is written as a whole: attributes (the smallest modify, asserting
/// the version read), a rename when its RDN value changes, and what its profile section adds
/// (lock for active, Password Modify, role groups from userType, a pending mark for creates in
/// steps, archive on delete). Users today; a further resource type of that kind needs only its
/// profile section.
class entry_behaviour final : public resource_behaviour {
public:
    explicit entry_behaviour(std::string type) : type_(std::move(type)) {}

    const mapping::resource_profile* resource(const tenant_view& tenant) const override {
        return tenant.profile->find_resource(type_);
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
        // The groups and managers naming the user let go of it first, with targeted writes
        // (slapd's refint would search the whole suffix for it after the answer).
        if (auto ok = co_await drop_references(r.dir, r.resource, current.name); !ok) {
            co_return ok.error();
        }
        co_return co_await resource_behaviour::remove(r, current);
    }

    asio::awaitable<void> finish_earlier_remove(resource_request& r) override {
        if (r.resource.deletion.how == mapping::delete_settings::mode::archive &&
            r.ctx.tenant.archive_base) {
            co_await finish_archive_move(r.dir, r.resource, r.id);
        }
    }

    asio::awaitable<result<std::string>> create(resource_request& r,
                                                const json::value& body) override {
        directory& dir = r.dir;
        const auto& user = r.resource;
        const std::string rdn = rdn_name(user);
        auto desired = mapping::from_resource(user, body);
        if (!desired) {
            co_return desired.error();
        }
        if (desired->rdn_value.empty()) {
            co_return error{errc::invalid_value, "required attribute '" + rdn + "' is missing"};
        }
        if (auto ok = co_await dir.resolve_reference_ids(*desired); !ok) {
            co_return ok.error();
        }
        auto plan = mapping::plan_add(user, *desired, dir.base_of(user));
        const ldap::dn name = plan.name;
        const auto in_flight = creates_.enter(name);
        auto attributes = plan.attributes;
        if (plan.password) {
            attributes.push_back(*plan.password);
        }
        auto added = co_await dir.add(name, std::move(attributes), rdn);
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
            // Still hidden and pending: a failure leaves it so, and the retry completes it.
            if (auto ok = co_await drop_references(dir, user, name); !ok) {
                co_return ok.error();
            }
        } else {
            co_await drop_leftovers_after_add(dir, user, name);
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
                directory cleanup(dir.backend(), dir.tenant(), ignored, dir.audit());
                co_await cleanup.remove(name, rdn);
                co_return completed.error();
            }
        }
        co_return co_await dir.id_of_new_entry(user, name);
    }

    asio::awaitable<result<void>> replace(resource_request& r, const json::value& body,
                                          bool& retry) override {
        retry = false;
        auto desired = mapping::from_resource(r.resource, body);
        if (!desired) {
            co_return desired.error();
        }
        const std::vector<const mapping::attribute_mapping*> no_references;
        auto attributes = r.resource.all_ldap_attributes();
        auto current = co_await r.endpoint.load_for_write(r, std::move(attributes), no_references);
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
        auto attributes = user.all_ldap_attributes();
        auto current = co_await r.endpoint.load_for_write(r, std::move(attributes), references);
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
        const std::string rdn = rdn_name(user);
        const auto id = mapping::id_of(user, current).value_or("");
        const bool client_condition = if_match(r.ctx).has_value();
        if (auto ok = co_await dir.resolve_reference_ids(desired); !ok) {
            co_return ok.error();
        }
        auto changes = mapping::diff_entry(current, desired.attributes, user.rdn_attribute);
        if (auto classes = mapping::missing_object_classes(user, current, changes)) {
            changes.insert(changes.begin(), std::move(*classes));
        }
        if (user.active) {
            // Unchanged too: an inactive entry locked before the end-time mark existed gets it.
            const bool wanted = desired.active.value_or(mapping::is_active(*user.active, current));
            auto active = mapping::active_changes(*user.active, &current, wanted);
            changes.insert(changes.end(), std::make_move_iterator(active.begin()),
                           std::make_move_iterator(active.end()));
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
                co_await dir.rename(name, std::move(new_rdn), std::nullopt, rdn, controls);
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
            auto modified = co_await dir.modify(name, changes, user.name, controls);
            if (!modified) {
                if (rename) {
                    // Undo the rename so a failed request leaves the entry as it was.
                    std::size_t ignored = 0;
                    directory undo(dir.backend(), dir.tenant(), ignored, dir.audit());
                    std::string back = ldap::make_rdn(user.rdn_attribute, *old_rdn);
                    co_await undo.rename(name, std::move(back), std::nullopt, rdn);
                }
                co_return lost_race(modified.error(), client_condition, retry);
            }
        }
        if (rename) {
            co_await follow_rename(dir, user, current.name, name);
        }
        co_return co_await finish_write(dir, user, current, name, desired);
    }

    std::string type_;
    creates_in_flight creates_;
};

}  // namespace

void register_entry_routes(router& routes, ldap::operations& backend, endpoint_settings settings,
                           const std::string& type, const std::string& endpoint) {
    register_resource_routes(
        routes, endpoint,
        std::make_shared<resource_endpoint>(backend, routes.base_path(), std::move(settings),
                                            std::make_unique<entry_behaviour>(type)));
}

void register_user_routes(router& routes, ldap::operations& backend, endpoint_settings settings) {
    register_entry_routes(routes, backend, std::move(settings), "User", "/Users");
}

}  // namespace scimldap::scim
