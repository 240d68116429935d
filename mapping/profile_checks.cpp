#include "mapping/profile_checks.hpp"

#include "base/ascii_case.hpp"

namespace scimldap::mapping {
namespace {

bool same_key(const scim_attribute_path& a, const scim_attribute_path& b) {
    using ascii::iequals;
    if (!iequals(a.schema, b.schema) || !iequals(a.name, b.name) ||
        !iequals(a.sub_attribute, b.sub_attribute) ||
        a.selector.has_value() != b.selector.has_value()) {
        return false;
    }
    return !a.selector || (iequals(a.selector->attribute, b.selector->attribute) &&
                           iequals(a.selector->value, b.selector->value));
}

std::string_view base_name(std::string_view attribute) {
    return attribute.substr(0, attribute.find(';'));
}

void check_duplicates(const resource_profile& r, error_list& errors) {
    for (std::size_t i = 0; i < r.attributes.size(); ++i) {
        const auto& a = r.attributes[i];
        for (std::size_t j = 0; j < i; ++j) {
            const auto& b = r.attributes[j];
            if (same_key(a.scim, b.scim)) {
                errors.add(a.json_path + ".scim", a.scim.to_string(r.schema) +
                                                      " is already mapped at " + b.json_path +
                                                      "; keep one mapping per SCIM path");
                break;
            }
            // The same LDAP attribute may be read by several mappings, but two that write it
            // would overwrite each other's values.
            if (a.writable() && b.writable() && !a.ldap.empty() &&
                ascii::iequals(base_name(a.ldap), base_name(b.ldap))) {
                errors.add(a.json_path + ".ldap",
                           "LDAP attribute " + a.ldap + " is already written by " +
                               b.scim.to_string(r.schema) + " (" + b.json_path +
                               "); make one of them \"mutability\": \"readOnly\" or map another "
                               "attribute");
                break;
            }
        }
    }
}

void check_required(const resource_profile& r, const std::string& path, error_list& errors) {
    const std::string_view name = r.name == "User" ? "userName" : "displayName";
    const auto* m = r.find(attr_path{r.schema, std::string(name), ""});
    if (m == nullptr) {
        errors.add(path + ".attributes", std::string(name) + " is required by RFC 7643 for a " +
                                             r.name + ": add a mapping {\"scim\": \"" +
                                             std::string(name) +
                                             "\", \"ldap\": ..., \"required\": true}");
        return;
    }
    if (!m->required || !m->writable()) {
        errors.add(m->json_path, std::string(name) +
                                     " is a required, writable attribute (RFC 7643): set "
                                     "\"required\": true and keep it readWrite");
    }
}

// Without a value for the RDN attribute the bridge could not name a new entry.
void check_rdn_produced(const resource_profile& r, const std::string& path, error_list& errors) {
    if (r.rdn_attribute.empty()) {
        return;
    }
    for (const auto* m : r.find_by_ldap(r.rdn_attribute)) {
        if (m->writable() && !m->multi_valued && m->kind == behaviour::plain) {
            if (!m->required && r.find_template(r.rdn_attribute) == nullptr) {
                errors.add(m->json_path,
                           "the RDN attribute " + r.rdn_attribute +
                               " must always have a value: make this mapping \"required\": true "
                               "or add a template for it");
            }
            return;
        }
    }
    if (r.find_template(r.rdn_attribute) != nullptr) {
        return;
    }
    errors.add(path + ".rdn_attribute",
               "no writable single-valued mapping or template produces the RDN attribute " +
                   r.rdn_attribute + "; map a SCIM attribute to it (userName → uid)");
}

void check_user_type(const resource_profile& r, const std::string& path, error_list& errors) {
    if (r.user_type && r.user_type->role_groups && r.name != "User") {
        errors.add(path + ".user_type", "role groups belong to users");
    }
}

}  // namespace

void check_resource(const resource_profile& r, const std::string& path, error_list& errors) {
    check_duplicates(r, errors);
    check_required(r, path, errors);
    check_rdn_produced(r, path, errors);
    check_user_type(r, path, errors);
}

}  // namespace scimldap::mapping
