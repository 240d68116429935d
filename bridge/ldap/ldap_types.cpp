// Lookups on entries and on the root DSE's offer.
#include "bridge/ldap/ldap_types.hpp"

#include "bridge/ldap/ascii_case.hpp"
#include "bridge/ldap/ldap_client.hpp"

#include <algorithm>

namespace scimldap::ldap {
namespace {

bool contains(const std::vector<std::string>& oids, std::string_view oid) {
    return std::find(oids.begin(), oids.end(), oid) != oids.end();
}

}  // namespace

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

bool server_features::has_control(std::string_view oid) const {
    return contains(supported_controls, oid);
}

bool server_features::has_extension(std::string_view oid) const {
    return contains(supported_extensions, oid);
}

}  // namespace scimldap::ldap
