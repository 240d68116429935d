#include "mapping/subschema_check.hpp"

#include <ldap_schema.h>
#include "base/ascii_case.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace scimldap::mapping {
namespace {

std::string_view base_name(std::string_view attribute) {
    return attribute.substr(0, attribute.find(';'));
}

std::vector<std::string> c_strings(char** list) {
    std::vector<std::string> out;
    for (char** p = list; p != nullptr && *p != nullptr; ++p) {
        out.emplace_back(*p);
    }
    return out;
}

struct attribute_info {
    std::string name;  // first NAME, else the OID
    std::string sup;
    bool single_value = false;
    bool operational = false;
};

struct class_info {
    std::string name;
    std::vector<std::string> sup;
    std::vector<std::string> must;
    std::vector<std::string> may;
};

// Every NAME and the OID of a definition point at the same info, lowercased.
class schema_index {
public:
    schema_index(const subschema& s, std::vector<config_error>& errors) {
        for (const auto& text : s.attribute_types) {
            add_attribute(text, errors);
        }
        for (const auto& text : s.object_classes) {
            add_class(text, errors);
        }
    }

    const attribute_info* attribute(std::string_view name) const {
        const auto it = attributes_.find(ascii::to_lower_copy(base_name(name)));
        return it == attributes_.end() ? nullptr : &it->second;
    }
    const class_info* object_class(std::string_view name) const {
        const auto it = classes_.find(ascii::to_lower_copy(name));
        return it == classes_.end() ? nullptr : &it->second;
    }
    /// MUST and MAY of a class and its superclasses, as lowercased canonical attribute names.
    void collect(std::string_view name, std::set<std::string>& must, std::set<std::string>& may,
                 int depth = 0) const {
        const auto* c = object_class(name);
        if (c == nullptr || depth > 32) {
            return;
        }
        for (const auto& a : c->must) {
            must.insert(canonical(a));
        }
        for (const auto& a : c->may) {
            may.insert(canonical(a));
        }
        for (const auto& s : c->sup) {
            collect(s, must, may, depth + 1);
        }
    }
    std::string canonical(std::string_view attribute) const {
        const auto* a = this->attribute(attribute);
        return ascii::to_lower_copy(a != nullptr ? a->name : base_name(attribute));
    }
    /// SINGLE-VALUE is not inherited through SUP (RFC 4512 §4.1.2 lists it per type).
    bool single_valued(std::string_view attribute) const {
        const auto* a = this->attribute(attribute);
        return a != nullptr && a->single_value;
    }

private:
    /// One attributeTypes or objectClasses value parsed by libldap; null (and an error naming
    /// `attribute`) when it does not parse.
    template <class Item>
    static std::unique_ptr<Item, void (*)(Item*)> parse_item(
        const std::string& text, const char* attribute,
        Item* (*parse)(const char*, int*, const char**, unsigned), void (*release)(Item*),
        std::vector<config_error>& errors) {
        int code = 0;
        const char* where = nullptr;
        std::unique_ptr<Item, void (*)(Item*)> item(
            parse(text.c_str(), &code, &where, LDAP_SCHEMA_ALLOW_ALL), release);
        if (!item) {
            errors.push_back({"cn=Subschema", attribute,
                              "cannot parse \"" + text + "\": " + ldap_scherr2str(code)});
        }
        return item;
    }

    void add_attribute(const std::string& text, std::vector<config_error>& errors) {
        const auto at = parse_item(text, "attributeTypes", &ldap_str2attributetype,
                                   &ldap_attributetype_free, errors);
        if (!at) {
            return;
        }
        const auto names = c_strings(at->at_names);
        attribute_info info;
        info.name = names.empty() ? std::string(at->at_oid) : names.front();
        info.sup = at->at_sup_oid != nullptr ? at->at_sup_oid : "";
        info.single_value = at->at_single_value != 0;
        info.operational = at->at_usage != LDAP_SCHEMA_USER_APPLICATIONS;
        for (const auto& n : names) {
            attributes_[ascii::to_lower_copy(n)] = info;
        }
        attributes_[ascii::to_lower_copy(at->at_oid)] = info;
    }

    void add_class(const std::string& text, std::vector<config_error>& errors) {
        const auto oc = parse_item(text, "objectClasses", &ldap_str2objectclass,
                                   &ldap_objectclass_free, errors);
        if (!oc) {
            return;
        }
        const auto names = c_strings(oc->oc_names);
        class_info info;
        info.name = names.empty() ? std::string(oc->oc_oid) : names.front();
        info.sup = c_strings(oc->oc_sup_oids);
        info.must = c_strings(oc->oc_at_oids_must);
        info.may = c_strings(oc->oc_at_oids_may);
        for (const auto& n : names) {
            classes_[ascii::to_lower_copy(n)] = info;
        }
        classes_[ascii::to_lower_copy(oc->oc_oid)] = info;
    }

    std::map<std::string, attribute_info> attributes_;
    std::map<std::string, class_info> classes_;
};

class resource_checker {
public:
    resource_checker(const profile& p, const resource_profile& r, const schema_index& s,
                     std::vector<config_error>& errors)
        : p_(p), r_(r), s_(s), errors_(errors), path_("resources." + r.name) {}

    void run() {
        std::set<std::string> must;
        std::set<std::string> may;
        check_classes(must, may);
        check_mappings(may, must);
        check_pending_create(may, must);
        check_other_attributes();
        check_must_produced(must);
    }

private:
    void add(std::string path, std::string message) {
        errors_.push_back({p_.file, std::move(path), std::move(message)});
    }

    bool known(std::string_view attribute, const std::string& path) {
        if (s_.attribute(attribute) != nullptr) {
            return true;
        }
        add(path, "the server does not know the attribute " + std::string(attribute) +
                      ": load the schema that defines it or map another attribute");
        return false;
    }

    void check_classes(std::set<std::string>& must, std::set<std::string>& may) {
        for (std::size_t i = 0; i < r_.object_classes.size(); ++i) {
            const auto& oc = r_.object_classes[i];
            if (s_.object_class(oc) == nullptr) {
                add(path_ + ".object_classes[" + std::to_string(i) + "]",
                    "the server does not know the objectClass " + oc +
                        ": load the schema that defines it");
                continue;
            }
            s_.collect(oc, must, may);
        }
    }

    void check_mappings(const std::set<std::string>& may, const std::set<std::string>& must) {
        for (const auto& m : r_.attributes) {
            if (m.ldap.empty() || !known(m.ldap, m.json_path + ".ldap")) {
                continue;
            }
            if (m.multi_valued && s_.single_valued(m.ldap)) {
                add(m.json_path + ".ldap",
                    "multi-valued " + m.scim.to_string(r_.schema) + " cannot map to " + m.ldap +
                        ", which the server declares SINGLE-VALUE: set \"multi_valued\": false or "
                        "map a multi-valued attribute");
            }
            const auto* info = s_.attribute(m.ldap);
            const std::string name = s_.canonical(m.ldap);
            // Operational attributes (entryUUID, memberOf, pwdAccountLockedTime) are not
            // governed by objectClasses; the others must be allowed on entries we create.
            if (m.writable() && !info->operational && m.kind != behaviour::password &&
                must.count(name) == 0 && may.count(name) == 0 && name != "objectclass") {
                add(m.json_path + ".ldap",
                    m.ldap + " is allowed by none of the objectClasses written on create (" +
                        join(r_.object_classes) + "): add a class that allows it");
            }
        }
    }

    // The pending mark is written by the add: the create classes must allow it.
    void check_pending_create(const std::set<std::string>& may, const std::set<std::string>& must) {
        if (!r_.pending_create) {
            return;
        }
        const std::string path = path_ + ".pending_create.ldap";
        if (!known(r_.pending_create->ldap, path)) {
            return;
        }
        const std::string name = s_.canonical(r_.pending_create->ldap);
        if (!s_.attribute(r_.pending_create->ldap)->operational && must.count(name) == 0 &&
            may.count(name) == 0) {
            add(path, r_.pending_create->ldap +
                          " is allowed by none of the objectClasses written on create (" +
                          join(r_.object_classes) +
                          "): add a class that allows it (scimBridgeObject does)");
        }
    }

    void check_other_attributes() {
        for (const auto& t : r_.templates) {
            known(t.ldap, t.json_path);
        }
        if (r_.active && !r_.active->end_ldap.empty() &&
            s_.attribute(r_.active->end_ldap) == nullptr) {
            add(path_ + ".active.end_ldap",
                "the server does not know the attribute " + r_.active->end_ldap +
                    " (ppolicy before OpenLDAP 2.5): remove \"end_ldap\" to lock with " +
                    r_.active->ldap + " alone");
        }
        known(r_.rdn_attribute, path_ + ".rdn_attribute");
        if (r_.members) {
            for (std::size_t i = 0; i < r_.members->display_attributes.size(); ++i) {
                known(r_.members->display_attributes[i],
                      path_ + ".members.display_attributes[" + std::to_string(i) + "]");
            }
        }
        if (r_.user_type && r_.user_type->role_groups) {
            if (s_.object_class(r_.user_type->role_object_class) == nullptr) {
                add(path_ + ".user_type.role_object_class",
                    "the server does not know the objectClass " + r_.user_type->role_object_class);
            }
            known(r_.user_type->role_member_attribute, path_ + ".user_type.role_member_attribute");
        }
    }

    // On create the entry gets objectClass, the RDN, every writable mapping the request
    // carries and the templates; a MUST attribute nothing produces fails the add.
    void check_must_produced(const std::set<std::string>& must) {
        for (const auto& attribute : must) {
            if (attribute == "objectclass") {
                continue;
            }
            const auto& mappings = r_.find_by_ldap(attribute);
            const bool templated = r_.find_template(attribute) != nullptr;
            const bool always = std::any_of(mappings.begin(), mappings.end(), [](const auto* m) {
                return m->writable() && m->required && m->kind == behaviour::plain;
            });
            const bool sometimes = std::any_of(mappings.begin(), mappings.end(),
                                               [](const auto* m) { return m->writable(); });
            if (always || templated) {
                continue;
            }
            if (r_.members && ascii::iequals(base_name(r_.members->ldap), attribute)) {
                if (r_.members->placeholder_dn.empty()) {
                    add(path_ + ".members.placeholder_dn",
                        "the objectClasses require " + attribute +
                            ", so a group without members cannot be stored: set "
                            "\"placeholder_dn\"");
                }
                continue;
            }
            add(path_ + ".object_classes",
                sometimes ? "the objectClasses require " + attribute +
                                ", but its mapping is optional: make it \"required\": true or "
                                "add a template for " +
                                attribute
                          : "the objectClasses require " + attribute +
                                ", which no mapping or template produces: map a SCIM attribute "
                                "to it or add a template");
        }
    }

    static std::string join(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names) {
            out += (out.empty() ? "" : ", ") + n;
        }
        return out;
    }

    const profile& p_;
    const resource_profile& r_;
    const schema_index& s_;
    std::vector<config_error>& errors_;
    std::string path_;
};

}  // namespace

std::vector<config_error> check_against_subschema(const profile& p, const subschema& schema) {
    std::vector<config_error> errors;
    const schema_index index(schema, errors);
    for (const resource_profile* r : p.resources()) {
        resource_checker(p, *r, index, errors).run();
    }
    return errors;
}

}  // namespace scimldap::mapping
