#include "bridge/scim/reference_upkeep.hpp"

#include "base/ascii_case.hpp"
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

/// One attribute of one entry that names a user by DN.
struct naming_value {
    ldap::dn entry;
    std::string attribute;
    ldap::dn placeholder;  // what keeps a groupOfNames valid when the value is its last
};

/// Adds to `out` the entries under `base` whose `attribute` names `value` (an indexed equality
/// search); nothing for an empty base or one that does not exist (no archive OU).
asio::awaitable<result<void>> add_naming(directory& dir, const ldap::dn& base,
                                         const std::string& attribute, const ldap::dn& value,
                                         const ldap::dn& placeholder,
                                         std::vector<naming_value>& out) {
    if (base.empty()) {
        co_return result<void>{};  // the root DSE: never search the whole directory
    }
    ldap::search_request request;
    request.base = base;
    request.scope = ldap::scope::sub;
    request.filter = ldap::filters::equal(attribute, value.str());
    request.attributes = {"1.1"};
    auto found = co_await dir.search(std::move(request), attribute);
    if (!found) {
        if (found.error().is(ldap::rc::no_such_object)) {
            co_return result<void>{};
        }
        co_return found.error();
    }
    for (auto& e : found->entries) {
        out.push_back({std::move(e.name), attribute, placeholder});
    }
    co_return result<void>{};
}

/// Every value of this tenant naming `user_dn`, found by indexed searches only: group members
/// (role groups with the user_type section's attribute) and the user reference attributes of
/// users and archived users. The user's memberOf is not trusted for this: memberof's update of
/// it is a second write inside slapd, which a crash between the two can lose. Groups outside
/// the tenant are not the bridge's to write (memberof-refint still takes a deleted user out).
asio::awaitable<result<std::vector<naming_value>>> values_naming(
    directory& dir, const mapping::resource_profile& user, const ldap::dn& user_dn) {
    const auto& tenant = dir.tenant();
    const std::string member = member_attribute(dir);
    const ldap::dn placeholder = placeholder_of(dir);
    std::vector<naming_value> out;
    if (auto ok = co_await add_naming(dir, tenant.groups_base, member, user_dn, placeholder, out);
        !ok) {
        co_return ok.error();
    }
    const std::string role_member = role_member_attribute(user, member);
    if (auto ok =
            co_await add_naming(dir, tenant.roles_base, role_member, user_dn, placeholder, out);
        !ok) {
        co_return ok.error();
    }
    std::vector<ldap::dn> user_bases{tenant.users_base};
    if (tenant.archive_base) {
        user_bases.push_back(*tenant.archive_base);
    }
    const ldap::dn no_placeholder;
    for (const auto& attribute : user_reference_attributes(user)) {
        for (const auto& base : user_bases) {
            if (auto ok = co_await add_naming(dir, base, attribute, user_dn, no_placeholder, out);
                !ok) {
                co_return ok.error();
            }
        }
    }
    co_return out;
}

/// Every value naming `from` names `to` instead, or nothing when `to` is not given.
asio::awaitable<result<void>> swap_everywhere(directory& dir, const mapping::resource_profile& user,
                                              const ldap::dn& from,
                                              const std::optional<ldap::dn>& to) {
    auto values = co_await values_naming(dir, user, from);
    if (!values) {
        co_return values.error();
    }
    for (const auto& v : *values) {
        if (auto ok = co_await swap_value(dir, v.entry, v.attribute, from, to, v.placeholder);
            !ok) {
            co_return ok.error();
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
                                              const ldap::dn& user_dn) {
    const std::optional<ldap::dn> none;
    co_return co_await swap_everywhere(dir, user, user_dn, none);
}

asio::awaitable<void> drop_leftovers_after_add(directory& dir,
                                               const mapping::resource_profile& user,
                                               const ldap::dn& user_dn) {
    auto dropped = co_await drop_references(dir, user, user_dn);
    if (!dropped) {
        count_upkeep_failure("create");
    }
}

asio::awaitable<void> follow_rename(directory& dir, const mapping::resource_profile& user,
                                    const ldap::dn& from, const ldap::dn& to) {
    const std::optional<ldap::dn> moved_to = to;
    auto moved = co_await swap_everywhere(dir, user, from, moved_to);
    if (!moved) {
        count_upkeep_failure("rename");
    }
}

}  // namespace scimldap::scim
