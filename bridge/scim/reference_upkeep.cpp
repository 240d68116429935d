#include "bridge/scim/reference_upkeep.hpp"

#include "base/ascii_case.hpp"
#include "base/filter_builder.hpp"

namespace scimldap::scim {
namespace asio = boost::asio;

namespace {

/// The attribute groups name their members with (memberof's member attribute).
std::string member_attribute(const directory& dir) {
    const auto& group = dir.tenant().profile->group;
    return group.members ? group.members->ldap : "member";
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

/// `entry` no longer names `old_value` in `attribute`, and names `new_value` when given. A value
/// already gone or already there is no error (a retried request, or slapd's memberof); a group
/// that would lose its last member keeps the placeholder.
asio::awaitable<result<void>> swap_value(directory& dir, const ldap::dn& entry,
                                         const std::string& attribute, const ldap::dn& old_value,
                                         const std::optional<ldap::dn>& new_value,
                                         const ldap::dn& placeholder) {
    std::vector<ldap::modification> changes;
    changes.push_back({ldap::mod_op::remove, attribute, {old_value.str()}});
    if (new_value) {
        changes.push_back({ldap::mod_op::add, attribute, {new_value->str()}});
    }
    auto done = co_await dir.modify(entry, changes, attribute);
    if (done || done.error().is(ldap::rc::no_such_object)) {
        co_return result<void>{};
    }
    std::vector<ldap::modification> retry;
    if (done.error().is(ldap::rc::no_such_attribute) && new_value) {
        retry.push_back({ldap::mod_op::add, attribute, {new_value->str()}});
    } else if (done.error().is(ldap::rc::type_or_value_exists)) {
        retry.push_back({ldap::mod_op::remove, attribute, {old_value.str()}});
    } else if (done.error().is(ldap::rc::object_class_violation) && !placeholder.empty()) {
        retry.push_back({ldap::mod_op::add, attribute, {placeholder.str()}});
        retry.push_back({ldap::mod_op::remove, attribute, {old_value.str()}});
    } else if (done.error().is(ldap::rc::no_such_attribute)) {
        co_return result<void>{};  // already gone
    } else {
        co_return done.error();
    }
    auto again = co_await dir.modify(entry, std::move(retry), attribute);
    if (again || again.error().is(ldap::rc::no_such_attribute) ||
        again.error().is(ldap::rc::type_or_value_exists) ||
        again.error().is(ldap::rc::no_such_object)) {
        co_return result<void>{};
    }
    co_return again.error();
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

asio::awaitable<result<void>> swap_everywhere(directory& dir, const mapping::resource_profile& user,
                                              const std::vector<std::string>& member_of,
                                              const ldap::dn& from,
                                              const std::optional<ldap::dn>& to) {
    const std::string member = member_attribute(dir);
    const ldap::dn placeholder = placeholder_of(dir);
    for (const auto& group : member_of) {
        if (auto ok = co_await swap_value(dir, ldap::dn(group), member, from, to, placeholder);
            !ok) {
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

}  // namespace

asio::awaitable<result<void>> drop_references(directory& dir, const mapping::resource_profile& user,
                                              const ldap::dn& user_dn,
                                              const std::vector<std::string>& member_of) {
    const std::optional<ldap::dn> none;
    co_return co_await swap_everywhere(dir, user, member_of, user_dn, none);
}

asio::awaitable<result<void>> follow_rename(directory& dir, const mapping::resource_profile& user,
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

}  // namespace scimldap::scim
