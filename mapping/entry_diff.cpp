#include "mapping/entry_diff.hpp"

#include <algorithm>
#include <cctype>
#include "base/ascii_case.hpp"

namespace scimldap::mapping {
namespace {

using ascii::iequals;

bool contains(const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

std::vector<ldap::modification> diff_entry(const ldap::entry& current,
                                           const std::vector<ldap::attribute>& desired,
                                           std::string_view skip) {
    std::vector<ldap::modification> out;
    static const std::vector<std::string> none;
    for (const auto& want : desired) {
        if (!skip.empty() && iequals(want.name, skip)) {
            continue;
        }
        const auto* found = current.find(want.name);
        const auto& have = found ? *found : none;
        std::vector<std::string> removed, added;
        for (const auto& v : have) {
            if (!contains(want.values, v)) {
                removed.push_back(v);
            }
        }
        for (const auto& v : want.values) {
            if (!contains(have, v) && !contains(added, v)) {
                added.push_back(v);
            }
        }
        if (removed.empty() && added.empty()) {
            continue;
        }
        if (want.values.empty()) {
            out.push_back({ldap::mod_op::remove, want.name, {}});
        } else if (have.size() <= 1 && want.values.size() <= 1) {
            out.push_back({ldap::mod_op::replace, want.name, want.values});
        } else {
            // Value-level changes: a concurrent edit of other values is not overwritten.
            if (!removed.empty()) {
                out.push_back({ldap::mod_op::remove, want.name, std::move(removed)});
            }
            if (!added.empty()) {
                out.push_back({ldap::mod_op::add, want.name, std::move(added)});
            }
        }
    }
    return out;
}

std::optional<ldap::modification> missing_object_classes(
    const resource_profile& resource, const ldap::entry& current,
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

}  // namespace scimldap::mapping
