#include "mapping/member_modifications.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "base/filter_builder.hpp"

#include <algorithm>
#include <set>

namespace scimldap::mapping {
using ascii::iequals;

namespace {

std::string normalized(const ldap::dn& name) {
    return ldap::normalize_dn(name);
}

bool contains(const std::vector<std::string>& normalized_dns, const ldap::dn& name) {
    const auto key = normalized(name);
    return std::find(normalized_dns.begin(), normalized_dns.end(), key) != normalized_dns.end();
}

}  // namespace

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
