#include "bridge/scim/reference_upkeep.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "base/filter_builder.hpp"
#include "base/metrics.hpp"

#include <algorithm>

namespace scimldap::scim {
namespace asio = boost::asio;

namespace {

/// The attribute groups name their members with (memberof's member attribute).
std::string member_attribute(const directory& dir) {
    const auto& group = dir.tenant().profile->group;
    return group.members ? group.members->ldap : "member";
}

/// The attribute role groups name their members with (the profile's user_type section).
std::string role_member_attribute(const mapping::resource_profile& user,
                                  const std::string& fallback) {
    return user.user_type ? user.user_type->role_member_attribute : fallback;
}

ldap::dn placeholder_of(const directory& dir) {
    const auto& group = dir.tenant().profile->group;
    return group.members ? group.members->placeholder_dn : ldap::dn();
}

/// The user attributes that hold DNs of users (manager).
std::vector<std::string> user_reference_attributes(const mapping::resource_profile& user) {
    std::vector<std::string> out;
    for (const auto& m : user.attributes) {
        const bool names_users =
            m.type == mapping::value_type::reference && m.kind == mapping::behaviour::plain &&
            std::any_of(m.reference_types.begin(), m.reference_types.end(),
                        [](const std::string& t) { return ascii::iequals(t, "User"); });
        if (names_users) {
            out.push_back(m.ldap);
        }
    }
    return out;
}

/// Whether `name` lies under `base`; an empty base (the root DSE) holds nothing here, so a
/// misconfigured tenant cannot make the upkeep search or write the whole directory.
bool under(const ldap::dn& name, const ldap::dn& base) {
    return !base.empty() && ldap::is_within(name, base);
}

/// Whether a modify's outcome leaves nothing to do: done, or the entry or the old value gone
/// already (a retried request, memberof, or a concurrent change that took it out on purpose:
/// the new value is then not added either).
bool settled(const result<ldap::write_result>& r) {
    return r || r.error().is(ldap::rc::no_such_object) || r.error().is(ldap::rc::no_such_attribute);
}

/// `entry` no longer names `old_value` in `attribute`, and names `new_value` instead when given,
/// in one modify; a group that would lose its last member keeps the placeholder.
asio::awaitable<result<void>> swap_value(directory& dir, const ldap::dn& entry,
                                         const std::string& attribute, const ldap::dn& old_value,
                                         const std::optional<ldap::dn>& new_value,
                                         const ldap::dn& placeholder) {
    const ldap::modification remove_old{ldap::mod_op::remove, attribute, {old_value.str()}};
    std::vector<ldap::modification> changes{remove_old};
    if (new_value) {
        changes.push_back({ldap::mod_op::add, attribute, {new_value->str()}});
    }
    auto done = co_await dir.modify(entry, changes, attribute);
    if (!settled(done) && done.error().is(ldap::rc::object_class_violation) &&
        !placeholder.empty()) {
        std::vector<ldap::modification> keep_valid{
            {ldap::mod_op::add, attribute, {placeholder.str()}}, remove_old};
        done = co_await dir.modify(entry, std::move(keep_valid), attribute);
    }
    if (!settled(done) && done.error().is(ldap::rc::type_or_value_exists)) {
        // The new value (or the placeholder) is there already: only the old one goes.
        std::vector<ldap::modification> only_remove{remove_old};
        done = co_await dir.modify(entry, std::move(only_remove), attribute);
    }
    if (settled(done)) {
        co_return result<void>{};
    }
    co_return done.error();
}

/// The entries of this tenant's users (and archive) whose `attribute` names `value`.
asio::awaitable<result<std::vector<ldap::dn>>> entries_naming(directory& dir,
                                                              const std::string& attribute,
                                                              const ldap::dn& value) {
    std::vector<ldap::dn> out;
    std::vector<ldap::dn> bases{dir.tenant().users_base};
    if (dir.tenant().archive_base) {
        bases.push_back(*dir.tenant().archive_base);
    }
    for (const auto& base : bases) {
        if (base.empty()) {
            continue;
        }
        ldap::search_request request;
        request.base = base;
        request.scope = ldap::scope::sub;
        request.filter = ldap::filters::equal(attribute, value.str());
        request.attributes = {"1.1"};
        auto found = co_await dir.search(std::move(request), attribute);
        if (!found) {
            if (found.error().is(ldap::rc::no_such_object)) {
                continue;  // no archive OU
            }
            co_return found.error();
        }
        for (auto& e : found->entries) {
            out.push_back(std::move(e.name));
        }
    }
    co_return out;
}

/// The tenant's groups and role groups naming `user_dn`: those its member-of values name, and
/// those an indexed `(member=<DN>)` search finds (memberof's memberOf update is a second write
/// inside slapd, which a crash between the two can lose; refint searched for the same, unindexed).
asio::awaitable<result<std::vector<ldap::dn>>> groups_naming(
    directory& dir, const std::string& member, const std::string& role_member,
    const ldap::dn& user_dn, const std::vector<std::string>& member_of) {
    std::vector<ldap::dn> out;
    std::vector<std::string> seen;
    const auto keep = [&](ldap::dn group) {
        // Only this tenant's groups and role groups: the others are not the bridge's to write
        // (memberof-refint still takes a deleted user out of them).
        if (!under(group, dir.tenant().groups_base) && !under(group, dir.tenant().roles_base)) {
            return;
        }
        auto key = ldap::normalize_dn(group);
        if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
            seen.push_back(std::move(key));
            out.push_back(std::move(group));
        }
    };
    for (const auto& group : member_of) {
        keep(ldap::dn(group));
    }
    const std::pair<const ldap::dn&, const std::string&> bases[] = {
        {dir.tenant().groups_base, member}, {dir.tenant().roles_base, role_member}};
    for (const auto& [base, attribute] : bases) {
        if (base.empty()) {
            continue;
        }
        ldap::search_request request;
        request.base = base;
        request.scope = ldap::scope::sub;
        request.filter = ldap::filters::equal(attribute, user_dn.str());
        request.attributes = {"1.1"};
        auto found = co_await dir.search(std::move(request), member);
        if (!found) {
            if (found.error().is(ldap::rc::no_such_object)) {
                continue;  // no such OU
            }
            co_return found.error();
        }
        for (auto& e : found->entries) {
            keep(std::move(e.name));
        }
    }
    co_return out;
}

asio::awaitable<result<void>> swap_everywhere(directory& dir, const mapping::resource_profile& user,
                                              const std::vector<std::string>& member_of,
                                              const ldap::dn& from,
                                              const std::optional<ldap::dn>& to) {
    const std::string member = member_attribute(dir);
    const std::string role_member = role_member_attribute(user, member);
    const ldap::dn placeholder = placeholder_of(dir);
    auto groups = co_await groups_naming(dir, member, role_member, from, member_of);
    if (!groups) {
        co_return groups.error();
    }
    for (const auto& group : *groups) {
        // Role groups name their members with the user_type section's attribute.
        const std::string& attribute = under(group, dir.tenant().roles_base) ? role_member : member;
        if (auto ok = co_await swap_value(dir, group, attribute, from, to, placeholder); !ok) {
            co_return ok.error();
        }
    }
    for (const auto& attribute : user_reference_attributes(user)) {
        auto naming = co_await entries_naming(dir, attribute, from);
        if (!naming) {
            co_return naming.error();
        }
        for (const auto& entry : *naming) {
            if (auto ok = co_await swap_value(dir, entry, attribute, from, to, ldap::dn()); !ok) {
                co_return ok.error();
            }
        }
    }
    co_return result<void>{};
}

void count_upkeep_failure(std::string_view step) {
    static auto& failures = metrics::registry::global().counters(
        "scimldap_reference_upkeep_failures_total",
        "Users whose group member or manager values the bridge could not all bring up to date: "
        "after a rename (some still name the old DN) or after a create (leftovers naming the "
        "new DN remain); the request's audit line shows the failed writes",
        {"step"});
    failures.with({step}).inc();
}

}  // namespace

asio::awaitable<result<void>> drop_references(directory& dir, const mapping::resource_profile& user,
                                              const ldap::dn& user_dn,
                                              const std::vector<std::string>& member_of) {
    const std::optional<ldap::dn> none;
    co_return co_await swap_everywhere(dir, user, member_of, user_dn, none);
}

asio::awaitable<result<void>> move_references(directory& dir, const mapping::resource_profile& user,
                                              const ldap::dn& from, const ldap::dn& to) {
    std::vector<std::string> member_of;
    if (user.groups) {
        ldap::search_request request;
        request.base = to;
        request.scope = ldap::scope::base;
        request.attributes = {user.groups->ldap};
        auto found = co_await dir.search(std::move(request), user.name);
        if (!found) {
            co_return found.error();
        }
        if (!found->entries.empty()) {
            if (const auto* values = found->entries.front().find(user.groups->ldap)) {
                member_of = *values;
            }
        }
    }
    const std::optional<ldap::dn> moved_to = to;
    co_return co_await swap_everywhere(dir, user, member_of, from, moved_to);
}

asio::awaitable<result<void>> drop_leftover_references(directory& dir,
                                                       const mapping::resource_profile& user,
                                                       const ldap::dn& user_dn) {
    const std::vector<std::string> no_member_of;
    co_return co_await drop_references(dir, user, user_dn, no_member_of);
}

asio::awaitable<void> drop_leftovers_after_add(directory& dir,
                                               const mapping::resource_profile& user,
                                               const ldap::dn& user_dn) {
    auto dropped = co_await drop_leftover_references(dir, user, user_dn);
    if (!dropped) {
        count_upkeep_failure("create");
    }
}

asio::awaitable<void> follow_rename(directory& dir, const mapping::resource_profile& user,
                                    const ldap::dn& from, const ldap::dn& to) {
    auto moved = co_await move_references(dir, user, from, to);
    if (!moved) {
        count_upkeep_failure("rename");
    }
}

}  // namespace scimldap::scim
