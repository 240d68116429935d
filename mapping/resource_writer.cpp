#include "mapping/resource_writer.hpp"

#include "base/escape.hpp"
#include "mapping/scim_schema_names.hpp"
#include "mapping/value_codec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"

namespace scimldap::mapping {
namespace json = boost::json;
namespace {

using ascii::iequals;

/// Case-insensitive member lookup (RFC 7643 §2.1); null values count as absent (IdPs send
/// "title": null for "no title").
const json::value* member(const json::object& o, std::string_view key) {
    const json::value* v = find_member(o, key);
    return v != nullptr && !v->is_null() ? v : nullptr;
}

/// The RDN's value (userName) without leading and trailing whitespace: the directory's DN
/// matching ignores them (RFC 4518 §2.6.1), so " alice" and "alice" name one entry, and keeping
/// them would store a name that every lookup answers for the other spelling too.
std::string_view trim_spaces(std::string_view s) {
    constexpr std::string_view spaces = " \t\r\n\f\v";
    const auto first = s.find_first_not_of(spaces);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(spaces) - first + 1);
}

scim::error invalid(std::string detail) {
    return {scim::errc::invalid_value, std::move(detail)};
}

std::string display_path(const resource_profile& resource, const attribute_mapping& m) {
    return m.scim.to_string(resource.schema);
}

/// The elements of a multi-valued complex attribute; a lone object counts as one element
/// (OneLogin's templates send "emails": {...}).
std::vector<const json::object*> elements(const json::value& v) {
    std::vector<const json::object*> out;
    if (v.is_object()) {
        out.push_back(&v.get_object());
    } else if (v.is_array()) {
        for (const auto& item : v.get_array()) {
            if (item.is_object()) {
                out.push_back(&item.get_object());
            }
        }
    }
    return out;
}

bool selected(const json::object& element, const value_selector& s) {
    const auto* v = member(element, s.attribute);
    return v && v->is_string() && iequals(v->get_string(), s.value);
}

bool is_primary(const json::object& element) {
    const auto* p = member(element, "primary");
    return p && ((p->is_bool() && p->get_bool()) ||
                 (p->is_string() && iequals(p->get_string(), "true")));
}

/// The JSON values the body holds for one mapping (before type conversion).
scim::result<std::vector<const json::value*>> extract(const resource_profile& resource,
                                                      const attribute_mapping& m,
                                                      const json::object& container) {
    std::vector<const json::value*> out;
    const json::value* v = member(container, m.scim.name);
    if (v == nullptr) {
        return out;
    }
    const bool complex_list = m.scim.selector || (!m.scim.sub_attribute.empty() && [&] {
                                  const auto* known =
                                      find_rfc_attribute(m.scim.schema, m.scim.name);
                                  return known && known->multi_valued;
                              }());
    if (complex_list) {
        const std::string sub = m.scim.sub_attribute.empty() ? "value" : m.scim.sub_attribute;
        const auto items = elements(*v);
        std::vector<const json::object*> chosen;
        for (const auto* e : items) {
            if (!m.scim.selector || selected(*e, *m.scim.selector)) {
                chosen.push_back(e);
            }
        }
        if (chosen.empty() && m.primary) {
            // An element without a type is taken by the primary mapping (Okta, OneLogin).
            for (const auto* e : items) {
                if (!member(*e, m.scim.selector ? m.scim.selector->attribute : "type")) {
                    chosen.push_back(e);
                }
            }
        }
        if (!m.multi_valued && chosen.size() > 1) {
            const auto p = std::find_if(chosen.begin(), chosen.end(),
                                        [](const json::object* e) { return is_primary(*e); });
            chosen = {p != chosen.end() ? *p : chosen.front()};
        }
        for (const auto* e : chosen) {
            if (const auto* value = member(*e, sub)) {
                out.push_back(value);
            }
        }
        return out;
    }
    if (!m.scim.sub_attribute.empty()) {
        if (!v->is_object()) {
            return invalid("attribute '" + m.scim.name + "' must be an object");
        }
        const json::object& object = v->get_object();
        v = member(object, m.scim.sub_attribute);
        if (v == nullptr && iequals(m.scim.name, "manager") &&
            iequals(m.scim.sub_attribute, "value")) {
            v = member(object, "managerId");  // SCIM 1.1's spelling (OneLogin's 1.0 template)
        }
        if (v == nullptr) {
            return out;
        }
    }
    if (v->is_array()) {
        if (!m.multi_valued) {
            // A one-element list for a single value is unambiguous (IdPs send both forms).
            if (v->get_array().size() > 1) {
                return invalid("attribute '" + display_path(resource, m) +
                               "' is single-valued but has several values");
            }
        }
        for (const auto& item : v->get_array()) {
            if (!item.is_null()) {
                out.push_back(&item);
            }
        }
        return out;
    }
    out.push_back(v);
    return out;
}

/// A reference value: the id as a string, or {"value": id} (manager as Entra and Okta send it).
std::optional<std::string> reference_id(const json::value& v) {
    if (v.is_string()) {
        return std::string(v.get_string());
    }
    if (v.is_object()) {
        if (const auto* inner = member(v.get_object(), "value"); inner && inner->is_string()) {
            return std::string(inner->get_string());
        }
    }
    return std::nullopt;
}

/// The object holding a mapping's schema: the body for the core schema, else the extension's.
const json::object* container_for(const resource_profile& resource, const attribute_mapping& m,
                                  const json::object& body) {
    if (iequals(m.scim.schema, resource.schema)) {
        return &body;
    }
    const auto* ext = member(body, m.scim.schema);
    return ext && ext->is_object() ? &ext->get_object() : nullptr;
}

scim::result<void> check_schemas(const resource_profile& resource, const json::object& body) {
    std::vector<std::string> listed;
    if (const auto* schemas = member(body, "schemas")) {
        if (!schemas->is_array()) {
            return scim::error{scim::errc::invalid_syntax, "'schemas' must be a list of URNs"};
        }
        for (const auto& s : schemas->get_array()) {
            if (!s.is_string()) {
                return scim::error{scim::errc::invalid_syntax, "'schemas' must be a list of URNs"};
            }
            listed.emplace_back(s.get_string());
        }
    }
    auto is_listed = [&](std::string_view urn) {
        return std::any_of(listed.begin(), listed.end(),
                           [&](const std::string& s) { return iequals(s, urn); });
    };
    for (const auto& [key, value] : body) {
        if (key.size() < 4 || !iequals(key.substr(0, 4), "urn:") || value.is_null()) {
            continue;
        }
        if (!resource.knows_schema(key)) {
            return invalid("extension '" + std::string(key) + "' is not a schema of " +
                           resource.name + " on this server");
        }
        if (!value.is_object()) {
            return scim::error{scim::errc::invalid_syntax,
                               "extension '" + std::string(key) + "' must be an object"};
        }
        // RFC 7643 §3: the extension's attributes count only when its URN is in "schemas".
        if (!listed.empty() && !is_listed(key)) {
            return scim::error{scim::errc::invalid_syntax,
                               "extension '" + std::string(key) + "' is not listed in 'schemas'"};
        }
    }
    for (const auto& ext : resource.extensions) {
        if (ext.required && !member(body, ext.urn)) {
            return invalid("the extension '" + ext.urn + "' is required");
        }
    }
    return {};
}

scim::result<void> check_value(const resource_profile& resource, const attribute_mapping& m,
                               const std::string& value) {
    if (!m.canonical_values.empty() && m.kind != behaviour::user_type) {
        const bool ok = std::any_of(
            m.canonical_values.begin(), m.canonical_values.end(),
            [&](const std::string& c) { return m.case_exact ? c == value : iequals(c, value); });
        if (!ok) {
            std::string allowed;
            for (const auto& c : m.canonical_values) {
                allowed += (allowed.empty() ? "\"" : ", \"") + c + "\"";
            }
            return invalid("attribute '" + display_path(resource, m) + "' must be one of " +
                           allowed);
        }
    }
    if (m.pattern) {
        const std::regex re(*m.pattern, std::regex::ECMAScript);
        if (!std::regex_match(value, re)) {
            return invalid("attribute '" + display_path(resource, m) + "' value \"" + value +
                           "\" does not have the required form (" + *m.pattern + ")");
        }
    }
    return {};
}

std::string allowed_user_types(const user_type_settings& s) {
    std::string out;
    for (const auto& v : s.values) {
        out += (out.empty() ? "\"" : ", \"") + v + "\"";
    }
    return out;
}

class writer {
public:
    writer(const resource_profile& resource, const json::object& body)
        : resource_(resource), body_(body) {}

    scim::result<desired_entry> run() {
        if (auto ok = check_schemas(resource_, body_); !ok) {
            return ok.error();
        }
        for (const auto& m : resource_.attributes) {
            if (auto ok = read(m); !ok) {
                return ok.error();
            }
        }
        apply_templates();
        return std::move(out_);
    }

private:
    scim::result<void> read(const attribute_mapping& m) {
        if (m.mutability_ == mutability::read_only || m.kind == behaviour::id ||
            m.kind == behaviour::meta || m.kind == behaviour::groups) {
            return {};  // RFC 7644 §3.5.1: readOnly values in a body are ignored
        }
        const json::object* container = container_for(resource_, m, body_);
        std::vector<const json::value*> raw;
        if (container != nullptr) {
            auto r = extract(resource_, m, *container);
            if (!r) {
                return r.error();
            }
            raw = std::move(*r);
        }
        const bool names_entry = iequals(m.ldap, resource_.rdn_attribute);
        if (m.kind != behaviour::password) {
            // "" is no value, like null (RFC 7643 §2.5): IdPs send it for an empty field, and an
            // LDAP string cannot be empty. A password of "" stays a mistake the client hears of.
            std::erase_if(raw, [&](const json::value* v) {
                if (!v->is_string()) {
                    return false;
                }
                const std::string_view text = v->get_string();
                return (names_entry ? trim_spaces(text) : text).empty();
            });
        }
        if (raw.empty() && m.required) {
            std::string detail =
                "required attribute '" + display_path(resource_, m) + "' is missing";
            if (m.kind == behaviour::user_type && resource_.user_type) {
                detail += "; allowed values: " + allowed_user_types(*resource_.user_type);
            }
            return invalid(std::move(detail));
        }
        switch (m.kind) {
            case behaviour::active:
                return read_active(m, raw);
            case behaviour::password:
                return read_password(m, raw);
            case behaviour::user_type:
                return read_user_type(m, raw);
            default:
                break;
        }
        if (m.type == value_type::reference) {
            return read_references(m, raw);
        }
        std::vector<std::string> values;
        for (const auto* v : raw) {
            std::string why;
            auto text = to_ldap_value(m.type, *v, &why);
            if (!text) {
                return invalid("attribute '" + display_path(resource_, m) + "' " + why);
            }
            if (names_entry) {
                *text = std::string(trim_spaces(*text));
            }
            if (auto ok = check_value(resource_, m, *text); !ok) {
                return ok.error();
            }
            values.push_back(std::move(*text));
        }
        if (names_entry && !values.empty()) {
            out_.rdn_value = values.front();
        }
        values_of_[&m] = values;
        add_attribute(m.ldap, std::move(values));
        return {};
    }

    scim::result<void> read_active(const attribute_mapping& m,
                                   const std::vector<const json::value*>& raw) {
        if (raw.empty()) {
            return {};
        }
        std::string why;
        const auto text = to_ldap_value(value_type::boolean, *raw.front(), &why);
        if (!text) {
            return invalid("attribute '" + display_path(resource_, m) + "' " + why);
        }
        out_.active = *text == "TRUE";
        return {};
    }

    scim::result<void> read_password(const attribute_mapping& m,
                                     const std::vector<const json::value*>& raw) {
        if (raw.empty()) {
            return {};
        }
        if (!raw.front()->is_string() || raw.front()->get_string().empty()) {
            return invalid("attribute '" + display_path(resource_, m) +
                           "' must be a non-empty string");
        }
        out_.password = std::string(raw.front()->get_string());
        return {};
    }

    scim::result<void> read_user_type(const attribute_mapping& m,
                                      const std::vector<const json::value*>& raw) {
        const auto& settings = *resource_.user_type;
        if (raw.empty()) {
            add_attribute(settings.ldap, {});
            return {};
        }
        if (!raw.front()->is_string()) {
            return invalid("attribute 'userType' must be a string");
        }
        const std::string value(raw.front()->get_string());
        if (settings.values.empty()) {
            out_.user_type = value;
        } else if (const auto* canonical = settings.canonical(value)) {
            out_.user_type = *canonical;
        } else {
            return invalid("attribute 'userType' value \"" + value +
                           "\" is not allowed; allowed values: " + allowed_user_types(settings));
        }
        values_of_[&m] = {*out_.user_type};
        add_attribute(settings.ldap, {*out_.user_type});
        return {};
    }

    scim::result<void> read_references(const attribute_mapping& m,
                                       const std::vector<const json::value*>& raw) {
        desired_entry::reference ref{&m, {}};
        for (const auto* v : raw) {
            auto id = reference_id(*v);
            if (!id) {
                return invalid("attribute '" + display_path(resource_, m) +
                               "' must be a resource id (a string or {\"value\": id})");
            }
            if (!id->empty()) {
                ref.ids.push_back(std::move(*id));
            }
        }
        out_.references.push_back(std::move(ref));
        add_attribute(m.ldap, {});  // filled once the ids are resolved to DNs
        return {};
    }

    void add_attribute(const std::string& name, std::vector<std::string> values) {
        for (auto& a : out_.attributes) {
            if (iequals(a.name, name)) {
                a.values.insert(a.values.end(), values.begin(), values.end());
                return;
            }
        }
        out_.attributes.push_back({name, std::move(values)});
    }

    void apply_templates() {
        for (const auto& t : resource_.templates) {
            const auto* present = out_.find(t.ldap);
            if (present != nullptr && !present->empty()) {
                continue;
            }
            const auto value =
                render(t, [&](const attribute_mapping& m) -> std::optional<std::string> {
                    const auto it = values_of_.find(&m);
                    if (it == values_of_.end() || it->second.empty()) {
                        return std::nullopt;
                    }
                    return it->second.front();
                });
            if (value) {
                if (present != nullptr) {
                    for (auto& a : out_.attributes) {
                        if (iequals(a.name, t.ldap)) {
                            a.values = {*value};
                        }
                    }
                } else {
                    out_.attributes.push_back({t.ldap, {*value}});
                }
            }
        }
    }

    const resource_profile& resource_;
    const json::object& body_;
    desired_entry out_;
    std::map<const attribute_mapping*, std::vector<std::string>> values_of_;
};

}  // namespace

const std::vector<std::string>* desired_entry::find(std::string_view attribute) const {
    for (const auto& a : attributes) {
        if (iequals(a.name, attribute)) {
            return &a.values;
        }
    }
    return nullptr;
}

scim::result<desired_entry> from_resource(const resource_profile& resource,
                                          const boost::json::value& body) {
    if (!body.is_object()) {
        return scim::error{scim::errc::invalid_syntax, "the request body must be a JSON object"};
    }
    return writer(resource, body.get_object()).run();
}

}  // namespace scimldap::mapping
