// Lookups on entries and controls.
#include "base/ldap_types.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>

namespace scimldap::ldap {
const std::vector<std::string>* entry::find(std::string_view attr) const {
    for (const auto& a : attributes) {
        if (ascii::iequals(a.name, attr)) {
            return &a.values;
        }
    }
    return nullptr;
}

std::optional<std::string> entry::first(std::string_view attr) const {
    const auto* values = find(attr);
    if (values == nullptr || values->empty()) {
        return std::nullopt;
    }
    return values->front();
}

const control* find_control(const std::vector<control>& controls, std::string_view oid) {
    for (const auto& c : controls) {
        if (c.oid == oid) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace scimldap::ldap
