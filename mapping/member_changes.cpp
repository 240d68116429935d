#include "mapping/member_changes.hpp"

#include "base/filter_builder.hpp"

#include "base/escape.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"

#include <algorithm>
#include <set>

namespace scimldap::mapping {
namespace json = boost::json;
using ascii::iequals;

namespace {

bool has_id(const std::vector<std::string>& ids, const std::string& id) {
    return std::any_of(ids.begin(), ids.end(),
                       [&](const std::string& x) { return iequals(x, id); });
}

void erase_id(std::vector<std::string>& ids, const std::string& id) {
    std::erase_if(ids, [&](const std::string& x) { return iequals(x, id); });
}

bool is_empty_value(const std::optional<json::value>& v) {
    if (!v || v->is_null()) {
        return true;
    }
    if (v->is_array()) {
        return v->get_array().empty();
    }
    if (v->is_string()) {
        return v->get_string().empty();
    }
    return v->is_object() && v->get_object().empty();
}

/// `members` of the group's core schema, with no sub-attribute.
bool is_members(const resource_profile& group, const attr_path& p) {
    return iequals(p.name, "members") && (p.schema.empty() || iequals(p.schema, group.schema));
}

/// The key of a no-path value object that names the members (`members` or URN-qualified).
bool is_members_key(const resource_profile& group, std::string_view key) {
    return iequals(key, "members") || iequals(key, group.schema + ":members");
}

/// The ids a `members[value eq "a" or value eq "b"]` filter names; nullopt for other filters.
std::optional<std::vector<std::string>> value_eq_ids(const filter_node& n) {
    using kind = filter_node::kind;
    if (n.type == kind::or_) {
        auto l = value_eq_ids(n.children.at(0));
        auto r = value_eq_ids(n.children.at(1));
        if (!l || !r) {
            return std::nullopt;
        }
        l->insert(l->end(), r->begin(), r->end());
        return l;
    }
    if (n.type != kind::compare || n.op != compare_op::eq || !iequals(n.path.name, "value") ||
        !n.path.sub_attribute.empty() || !std::holds_alternative<std::string>(n.value)) {
        return std::nullopt;
    }
    return std::vector<std::string>{std::get<std::string>(n.value)};
}

std::string label(const patch_operation& op) {
    return "Operations[" + std::to_string(op.index) + "]: ";
}

/// One member operation with a path to `members`; false when only the engine can apply it.
scim::result<bool> apply_member_operation(const patch_operation& op, member_changes& out) {
    const auto& path = *op.path;
    if (!path.sub_attribute.empty() || !path.attribute.sub_attribute.empty()) {
        return false;
    }
    if (path.value_filter) {
        const auto ids = value_eq_ids(*path.value_filter);
        if (!ids || op.op != patch_operation::op_kind::remove) {
            return false;
        }
        out.remove(*ids);  // RFC 7644 §3.5.2.2: no match is not an error
        return true;
    }
    if (op.op == patch_operation::op_kind::remove && is_empty_value(op.value)) {
        out.replace({});  // remove all members
        return true;
    }
    const json::value none;
    auto ids = member_ids(op.value ? *op.value : none, label(op) + "'members'");
    if (!ids) {
        return ids.error();
    }
    switch (op.op) {
        case patch_operation::op_kind::add:
            out.add(*ids);
            break;
        case patch_operation::op_kind::replace:
            out.replace(*ids);
            break;
        case patch_operation::op_kind::remove:
            // Entra's default job and JumpCloud list the members to remove as "value"
            // (IDP-QUIRKS R12): only those go.
            out.remove(*ids);
            break;
    }
    return true;
}

std::string normalized(const ldap::dn& name) {
    return ldap::normalize_dn(name);
}

bool contains(const std::vector<std::string>& normalized_dns, const ldap::dn& name) {
    const auto key = normalized(name);
    return std::find(normalized_dns.begin(), normalized_dns.end(), key) != normalized_dns.end();
}

}  // namespace

void member_changes::add(const std::vector<std::string>& ids) {
    touched_ = true;
    for (const auto& id : ids) {
        erase_id(removed_, id);
        if (!has_id(added_, id)) {
            added_.push_back(id);
        }
    }
}

void member_changes::remove(const std::vector<std::string>& ids) {
    touched_ = true;
    for (const auto& id : ids) {
        erase_id(added_, id);
        if (!replacement_ && !has_id(removed_, id)) {
            removed_.push_back(id);
        }
    }
}

void member_changes::replace(const std::vector<std::string>& ids) {
    touched_ = true;
    replacement_ = true;
    removed_.clear();
    added_.clear();
    std::set<std::string> seen;  // a full push may list 100,000 ids
    for (const auto& id : ids) {
        if (seen.insert(ascii::to_lower_copy(id)).second) {
            added_.push_back(id);
        }
    }
}

scim::result<std::vector<std::string>> member_ids(const json::value& value,
                                                  const std::string& what) {
    std::vector<std::string> ids;
    const scim::error bad{scim::errc::invalid_value,
                          what + " must list member ids (a string or {\"value\": id} each)"};
    auto one = [&](const json::value& v) -> bool {
        if (v.is_string()) {
            if (!v.get_string().empty()) {
                ids.emplace_back(v.get_string());
            }
            return true;
        }
        if (!v.is_object()) {
            return false;
        }
        const auto* id = find_member(v.get_object(), "value");
        if (id == nullptr || id->is_null()) {
            return v.get_object().empty();
        }
        if (!id->is_string()) {
            return false;
        }
        if (!id->get_string().empty()) {
            ids.emplace_back(id->get_string());
        }
        return true;
    };
    if (value.is_null()) {
        return ids;
    }
    if (value.is_array()) {
        for (const auto& v : value.get_array()) {
            if (!one(v)) {
                return bad;
            }
        }
        return ids;
    }
    if (!one(value)) {
        return bad;
    }
    return ids;
}

scim::result<std::optional<std::vector<std::string>>> body_member_ids(const json::value& body) {
    if (!body.is_object()) {
        return std::optional<std::vector<std::string>>{};
    }
    const auto* members = find_member(body.get_object(), "members");
    if (members == nullptr) {
        return std::optional<std::vector<std::string>>{};
    }
    auto ids = member_ids(*members, "'members'");
    if (!ids) {
        return ids.error();
    }
    return std::optional<std::vector<std::string>>(std::move(*ids));
}

scim::result<group_patch> split_member_operations(const resource_profile& group,
                                                  const std::vector<patch_operation>& ops) {
    group_patch out;
    for (const auto& op : ops) {
        if (op.path) {
            if (!is_members(group, op.path->attribute)) {
                out.others.push_back(op);
                continue;
            }
            auto applied = apply_member_operation(op, out.members);
            if (!applied) {
                return applied.error();
            }
            if (!*applied) {
                out.needs_engine = true;
            }
            continue;
        }
        // No path (Okta, Entra): the members key of the value object is a member operation,
        // the other keys stay for the engine.
        if (!op.value || !op.value->is_object()) {
            out.others.push_back(op);
            continue;
        }
        json::object rest;
        for (const auto& [key, v] : op.value->get_object()) {
            if (!is_members_key(group, key)) {
                rest[key] = v;
                continue;
            }
            auto ids = member_ids(v, label(op) + "'members'");
            if (!ids) {
                return ids.error();
            }
            if (op.op == patch_operation::op_kind::replace) {
                out.members.replace(*ids);
            } else {
                out.members.add(*ids);
            }
        }
        if (rest.size() == op.value->get_object().size() || !rest.empty()) {
            patch_operation other = op;
            other.value = json::value(std::move(rest));
            out.others.push_back(std::move(other));
        }
    }
    return out;
}

std::string named_values_filter(const std::string& member_attribute,
                                const std::vector<ldap::dn>& named,
                                const std::vector<std::string>& other_attributes) {
    std::vector<ldap::filter> items;
    for (const auto& name : named) {
        items.push_back(ldap::filters::equal(member_attribute, name.str()));
    }
    for (const auto& a : other_attributes) {
        if (!iequals(a, member_attribute)) {
            // every value of the attributes the PATCH engine needs
            items.push_back(ldap::filters::present(a));
        }
    }
    return ldap::filters::values_return(items);
}

std::vector<ldap::modification> delta_modifications(const members_settings& members,
                                                    const std::vector<ldap::dn>& to_add,
                                                    const std::vector<ldap::dn>& to_remove,
                                                    const std::vector<std::string>& present) {
    std::vector<std::string> adds;
    std::vector<std::string> removes;
    std::set<std::string> seen;
    for (const auto& name : to_add) {
        if (!contains(present, name) && seen.insert(normalized(name)).second) {
            adds.push_back(name.str());
        }
    }
    const auto placeholder = normalized(members.placeholder_dn);
    for (const auto& name : to_remove) {
        if (contains(present, name) && normalized(name) != placeholder &&
            seen.insert(normalized(name)).second) {
            removes.push_back(name.str());
        }
    }
    if (!adds.empty() && !members.placeholder_dn.empty() &&
        contains(present, members.placeholder_dn)) {
        removes.push_back(members.placeholder_dn.str());  // the first real member arrived
    }
    std::vector<ldap::modification> out;
    if (!adds.empty()) {
        out.push_back({ldap::mod_op::add, members.ldap, std::move(adds)});
    }
    if (!removes.empty()) {
        out.push_back({ldap::mod_op::remove, members.ldap, std::move(removes)});
    }
    return out;
}

std::vector<ldap::modification> replacement_modifications(const members_settings& members,
                                                          const std::vector<std::string>& current,
                                                          const std::vector<ldap::dn>& wanted) {
    if (wanted.empty()) {
        // The last member leaves: the placeholder keeps groupOfNames valid. One small replace,
        // whatever the size of the group.
        std::vector<ldap::modification> out;
        out.push_back({ldap::mod_op::replace, members.ldap, {members.placeholder_dn.str()}});
        return out;
    }
    std::vector<std::string> have;
    for (const auto& v : current) {
        have.push_back(normalized(ldap::dn(v)));
    }
    std::vector<std::string> want;
    for (const auto& name : wanted) {
        want.push_back(normalized(name));
    }
    std::vector<std::string> removes;
    for (std::size_t i = 0; i < current.size(); ++i) {
        if (std::find(want.begin(), want.end(), have[i]) == want.end()) {
            removes.push_back(current[i]);  // includes the placeholder, if it was there
        }
    }
    std::vector<ldap::dn> wanted_absent;
    for (const auto& name : wanted) {
        if (!contains(have, name)) {
            wanted_absent.push_back(name);
        }
    }
    std::vector<ldap::modification> out;
    const std::vector<std::string> none;
    auto adds = delta_modifications(members, wanted_absent, {}, none);
    out.insert(out.end(), adds.begin(), adds.end());
    if (!removes.empty()) {
        out.push_back({ldap::mod_op::remove, members.ldap, std::move(removes)});
    }
    return out;
}

void keep_placeholder(const members_settings& members, std::vector<ldap::modification>& changes) {
    changes.push_back({ldap::mod_op::add, members.ldap, {members.placeholder_dn.str()}});
}

std::vector<std::string> initial_members(const members_settings& members,
                                         const std::vector<ldap::dn>& dns) {
    std::vector<std::string> out;
    for (const auto& d : dns) {
        out.push_back(d.str());
    }
    if (out.empty()) {
        out.push_back(members.placeholder_dn.str());
    }
    return out;
}

}  // namespace scimldap::mapping
