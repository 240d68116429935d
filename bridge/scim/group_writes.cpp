#include "bridge/scim/group_writes.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "base/filter_builder.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/id_lookup.hpp"
#include "mapping/member_modifications.hpp"

namespace scimldap::scim {
namespace asio = boost::asio;
using ascii::iequals;

namespace {

/// Whether `wanted` names another entry than `current` (a case-only rename is no clash).
asio::awaitable<result<bool>> name_taken(directory& dir, const ldap::dn& current,
                                         const ldap::dn& wanted) {
    if (ldap::normalize_dn(current) == ldap::normalize_dn(wanted)) {
        co_return false;
    }
    ldap::search_request request;
    request.base = wanted;
    request.scope = ldap::scope::base;
    auto found = co_await dir.search(std::move(request), "displayName");
    if (!found) {
        if (found.error().is(ldap::rc::no_such_object)) {
            co_return false;
        }
        co_return found.error();
    }
    co_return !found->entries.empty();
}

}  // namespace

/// The value-level member modifications for the group as read.
asio::awaitable<result<std::vector<ldap::modification>>> member_modifications(
    directory& dir, const mapping::resource_profile& group, const ldap::entry& current,
    bool replacement, const std::vector<ldap::dn>& adds, const std::vector<ldap::dn>& removes,
    bool values_read) {
    const auto& members = *group.members;
    static const std::vector<std::string> none;
    const auto* values = current.find(members.ldap);
    const auto& held = values ? *values : none;
    if (replacement) {
        co_return mapping::replacement_modifications(members, held, adds);
    }
    std::vector<std::string> present;
    if (values_read) {
        for (const auto& v : held) {
            present.push_back(ldap::normalize_dn(ldap::dn(v)));
        }
    } else {
        // No matched values control on this server: one compare-style search per named
        // value, still never the whole list.
        std::vector<ldap::dn> named = adds;
        named.insert(named.end(), removes.begin(), removes.end());
        named.push_back(members.placeholder_dn);
        for (const auto& name : named) {
            ldap::search_request request;
            request.base = current.name;
            request.scope = ldap::scope::base;
            request.filter = ldap::filters::equal(members.ldap, name.str());
            auto r = co_await dir.search(std::move(request), "members");
            if (!r) {
                co_return r.error();
            }
            if (!r->entries.empty()) {
                present.push_back(ldap::normalize_dn(name));
            }
        }
    }
    co_return mapping::delta_modifications(members, adds, removes, present);
}

/// Attribute modify (asserting the version read, when computed from it), member modify
/// (asserting the version the attribute modify left, or the one read), then rename. The
/// member modify's assertion is the form that is true on every other entry: slapd's memberof
/// overlay runs its memberOf updates of the members with the request's controls, and a plain
/// assertion makes them fail and leaves memberOf stale (seen on 2.5.13). The rename carries
/// none, for the same reason. A taken displayName is found before anything is written.
asio::awaitable<result<void>> write_group(directory& dir, const mapping::resource_profile& group,
                                          group_write w, bool if_match_given, bool& retry) {
    std::optional<ldap::dn> new_name;
    if (w.new_rdn_value) {
        const auto parts = ldap::split_dn(w.name);
        new_name = ldap::make_child_dn(group.rdn_attribute, *w.new_rdn_value, parts->parent);
        auto taken = co_await name_taken(dir, w.name, *new_name);
        if (!taken) {
            co_return taken.error();
        }
        if (*taken) {
            co_return error{errc::uniqueness, "attribute 'displayName' is already taken: \"" +
                                                  *w.new_rdn_value + "\""};
        }
    }
    std::vector<ldap::modification> attribute_changes;
    std::vector<ldap::modification> member_changes;
    for (auto& c : w.changes) {
        const bool member = group.members && iequals(c.attribute, group.members->ldap);
        (member ? member_changes : attribute_changes).push_back(std::move(c));
    }
    std::optional<std::string> version = w.assert_csn;
    if (!attribute_changes.empty()) {
        std::vector<ldap::control> controls;
        if (version) {
            controls.push_back(assert_version(*version));
            controls.push_back(
                ldap::controls::post_read(std::vector<std::string>{group.meta.version}));
        }
        auto modified =
            co_await dir.modify(w.name, std::move(attribute_changes), "Group", controls);
        if (!modified) {
            co_return lost_race(modified.error(), if_match_given, retry);
        }
        if (version) {
            const auto after = ldap::controls::parse_read_entry(modified->controls);
            version = after ? after->first(group.meta.version) : std::nullopt;
        }
    }
    if (!member_changes.empty()) {
        std::vector<ldap::control> controls;
        if (version) {
            controls.push_back(assert_version_of(*version, group.id_attribute, w.id));
        }
        auto changes = member_changes;
        auto modified = co_await dir.modify(w.name, std::move(changes), "members", controls);
        if (!modified && modified.error().is(ldap::rc::object_class_violation) && group.members) {
            // The last member left: groupOfNames keeps the placeholder instead.
            mapping::keep_placeholder(*group.members, member_changes);
            modified = co_await dir.modify(w.name, std::move(member_changes), "members", controls);
        }
        if (!modified) {
            const error& failed = modified.error();
            if (failed.is(ldap::rc::type_or_value_exists) ||
                failed.is(ldap::rc::no_such_attribute)) {
                // A concurrent request added or removed one of the named values since the
                // pre-check: read and compute again (what was written so far is
                // idempotent; under If-Match the new read answers 412).
                retry = true;
                count_write_retry("member_values_changed");
                co_return modified.error();
            }
            co_return lost_race(modified.error(), if_match_given, retry);
        }
    }
    if (w.new_rdn_value) {
        // RFC 7644 §3.5.2 + DESIGN: displayName is the RDN, so a new name is a modrdn; the
        // id (entryUUID) survives it and memberof moves the members' memberOf along.
        std::string new_rdn = ldap::make_rdn(group.rdn_attribute, *w.new_rdn_value);
        const std::optional<ldap::dn> same_parent;
        auto renamed = co_await dir.rename(w.name, std::move(new_rdn), same_parent, "displayName");
        if (!renamed) {
            co_return renamed.error();
        }
    }
    co_return result<void>{};
}

asio::awaitable<result<std::vector<ldap::dn>>> require_member_dns(
    directory& dir, const mapping::members_settings& members, const std::vector<std::string>& ids,
    const ldap::dn* self) {
    std::vector<ldap::dn> out;
    if (ids.empty()) {
        co_return out;
    }
    auto found = co_await find_dns_by_id(dir, members.types, ids);
    if (!found) {
        co_return found.error();
    }
    for (const auto& id : ids) {
        const auto it = found->find(ascii::to_lower_copy(id));
        if (it == found->end()) {
            co_return error{errc::invalid_value, "'members' value \"" + id +
                                                     "\" is not the id of a User or Group of "
                                                     "this tenant"};
        }
        if (self != nullptr && ldap::normalize_dn(it->second) == ldap::normalize_dn(*self)) {
            co_return error{errc::invalid_value,
                            "'members' value \"" + id + "\" is the group itself"};
        }
        out.push_back(it->second);
    }
    co_return out;
}

}  // namespace scimldap::scim
