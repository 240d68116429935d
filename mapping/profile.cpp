#include "mapping/profile.hpp"

#include "base/ascii_case.hpp"
#include "mapping/schema_aliases.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace scimldap::mapping {

const ldap::dn& base_dn(base_kind kind, const ldap::dn& users, const ldap::dn& groups,
                        const ldap::dn& roles) {
    switch (kind) {
        case base_kind::groups:
            return groups;
        case base_kind::roles:
            return roles;
        case base_kind::users:
        default:
            return users;
    }
}
namespace {

template <class E, std::size_t N>
std::optional<E> parse_enum(std::string_view s, const std::pair<E, std::string_view> (&table)[N]) {
    for (const auto& [value, text] : table) {
        if (text == s) {
            return value;
        }
    }
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view enum_text(E v, const std::pair<E, std::string_view> (&table)[N]) {
    for (const auto& [value, text] : table) {
        if (value == v) {
            return text;
        }
    }
    return "?";
}

constexpr std::pair<value_type, std::string_view> value_types[] = {
    {value_type::string, "string"},      {value_type::boolean, "boolean"},
    {value_type::integer, "integer"},    {value_type::decimal, "decimal"},
    {value_type::date_time, "dateTime"}, {value_type::reference, "reference"},
    {value_type::binary, "binary"},
};
constexpr std::pair<mutability, std::string_view> mutabilities[] = {
    {mutability::read_write, "readWrite"},
    {mutability::write_only, "writeOnly"},
    {mutability::read_only, "readOnly"},
    {mutability::immutable, "immutable"},
};
constexpr std::pair<returned, std::string_view> returneds[] = {
    {returned::always, "always"},
    {returned::by_default, "default"},
    {returned::request, "request"},
    {returned::never, "never"},
};
constexpr std::pair<uniqueness, std::string_view> uniquenesses[] = {
    {uniqueness::none, "none"},
    {uniqueness::server, "server"},
    {uniqueness::global, "global"},
};
constexpr std::pair<behaviour, std::string_view> behaviours[] = {
    {behaviour::plain, "plain"},       {behaviour::id, "id"},
    {behaviour::meta, "meta"},         {behaviour::active, "active"},
    {behaviour::password, "password"}, {behaviour::user_type, "userType"},
    {behaviour::groups, "groups"},     {behaviour::members, "members"},
};
constexpr std::pair<base_kind, std::string_view> base_kinds[] = {
    {base_kind::users, "users"},
    {base_kind::groups, "groups"},
    {base_kind::roles, "roles"},
};

// Lookups ignore attribute options: "userCertificate;binary" is found as "userCertificate".
std::string_view without_options(std::string_view attribute) {
    return attribute.substr(0, attribute.find(';'));
}

}  // namespace

std::string_view to_string(value_type v) {
    return enum_text(v, value_types);
}
std::string_view to_string(mutability v) {
    return enum_text(v, mutabilities);
}
std::string_view to_string(returned v) {
    return enum_text(v, returneds);
}
std::string_view to_string(uniqueness v) {
    return enum_text(v, uniquenesses);
}
std::string_view to_string(behaviour v) {
    return enum_text(v, behaviours);
}
std::string_view to_string(base_kind v) {
    return enum_text(v, base_kinds);
}
std::optional<value_type> parse_value_type(std::string_view s) {
    return parse_enum(s, value_types);
}
std::optional<mutability> parse_mutability(std::string_view s) {
    return parse_enum(s, mutabilities);
}
std::optional<returned> parse_returned(std::string_view s) {
    return parse_enum(s, returneds);
}
std::optional<uniqueness> parse_uniqueness(std::string_view s) {
    return parse_enum(s, uniquenesses);
}
std::optional<base_kind> parse_base_kind(std::string_view s) {
    return parse_enum(s, base_kinds);
}

std::string scim_attribute_path::to_string(std::string_view core_schema) const {
    std::string out;
    if (!ascii::iequals(schema, core_schema)) {
        out = schema + ":";
    }
    out += name;
    if (selector) {
        out += "[" + selector->attribute + " eq \"" + selector->value + "\"]";
    }
    if (!sub_attribute.empty()) {
        out += "." + sub_attribute;
    }
    return out;
}

std::optional<std::string> render(
    const ldap_template& t,
    const std::function<std::optional<std::string>(const attribute_mapping&)>& value_of) {
    for (const auto& alternative : t.alternatives) {
        std::string out;
        bool resolved = true;
        for (const auto& part : alternative.parts) {
            if (part.placeholder == nullptr) {
                out += part.literal;
                continue;
            }
            const auto value = value_of(*part.placeholder);
            if (!value || value->empty()) {
                resolved = false;
                break;
            }
            out += *value;
        }
        if (resolved && !out.empty()) {
            return out;
        }
    }
    return std::nullopt;
}

const std::string* user_type_settings::canonical(std::string_view v) const {
    for (const auto& allowed : values) {
        if (case_exact ? allowed == v : ascii::iequals(allowed, v)) {
            return &allowed;
        }
    }
    return nullptr;
}

std::size_t resource_profile::ci_hash::operator()(std::string_view s) const noexcept {
    // FNV-1a over the lowercased bytes: no allocation per lookup.
    std::size_t h = 14695981039346656037ull;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(ascii::to_lower(c));
        h *= 1099511628211ull;
    }
    return h;
}

bool resource_profile::ci_equal::operator()(std::string_view a, std::string_view b) const noexcept {
    return ascii::iequals(a, b);
}

void resource_profile::build_index() {
    by_name_.clear();
    by_ldap_.clear();
    all_ldap_.clear();
    const auto add_ldap = [this](std::string_view attribute) {
        if (attribute.empty()) {
            return;
        }
        const auto found = std::find_if(all_ldap_.begin(), all_ldap_.end(), [&](const auto& a) {
            return ascii::iequals(a, attribute);
        });
        if (found == all_ldap_.end()) {
            all_ldap_.emplace_back(attribute);
        }
    };
    for (auto& m : attributes) {
        m.rfc = find_rfc_attribute(m.scim.schema, m.scim.name);
        by_name_[m.scim.name].push_back(&m);
        if (!m.ldap.empty()) {
            by_ldap_[std::string(without_options(m.ldap))].push_back(&m);
        }
        if (m.returned_ != returned::never) {
            add_ldap(m.ldap);
        }
    }
    add_ldap(id_attribute);
    if (active) {
        add_ldap(active->ldap);
        add_ldap(active->end_ldap);
    }
    // A write compares templated attributes and needs to know the entry's classes.
    for (const auto& t : templates) {
        add_ldap(t.ldap);
    }
    add_ldap("objectClass");
    build_default_read();
}

void resource_profile::build_default_read() {
    // No objectClass: nothing a read returns depends on it (writes read it: all_ldap_attributes).
    default_read_ = {id_attribute, meta.version};
    for (const auto& m : attributes) {
        // RFC 7643 §7: writeOnly is never returned; "never" and "request" are not by default.
        const bool returned_by_default = m.mutability_ != mutability::write_only &&
                                         m.returned_ != returned::never &&
                                         m.returned_ != returned::request;
        if (!returned_by_default || m.ldap.empty() ||
            std::any_of(default_read_.begin(), default_read_.end(),
                        [&](const std::string& a) { return ascii::iequals(a, m.ldap); })) {
            continue;
        }
        default_read_.push_back(m.ldap);
        // active reads as inactive from either of two attributes (active_settings).
        if (m.kind == behaviour::active && active && !active->end_ldap.empty()) {
            default_read_.push_back(active->end_ldap);
        }
    }
}

bool resource_profile::schema_matches(const attribute_mapping& m, std::string_view s) const {
    if (s.empty()) {
        return true;  // resolved by the caller's preference order
    }
    if (ascii::iequals(m.scim.schema, s)) {
        return true;
    }
    const auto standard = standard_schema(*this, s);  // a client's odd spelling (R15)
    return standard && ascii::iequals(m.scim.schema, *standard);
}

namespace {

bool selector_matches(const attribute_mapping& m, const value_selector* selector) {
    if (selector == nullptr) {
        return !m.scim.selector;
    }
    // RFC 7643 §4.1.2: "type" values are not case-exact.
    return m.scim.selector && ascii::iequals(m.scim.selector->attribute, selector->attribute) &&
           ascii::iequals(m.scim.selector->value, selector->value);
}

}  // namespace

const attribute_mapping* resource_profile::find(const attr_path& path,
                                                const value_selector* selector) const {
    const auto it = by_name_.find(std::string_view(path.name));
    if (it == by_name_.end()) {
        return nullptr;
    }
    const attribute_mapping* in_extension = nullptr;
    bool ambiguous = false;
    for (const auto* m : it->second) {
        if (!schema_matches(*m, path.schema) ||
            !ascii::iequals(m->scim.sub_attribute, path.sub_attribute) ||
            !selector_matches(*m, selector)) {
            continue;
        }
        if (!path.schema.empty() || ascii::iequals(m->scim.schema, schema)) {
            return m;
        }
        ambiguous = ambiguous || in_extension != nullptr;
        in_extension = m;
    }
    return ambiguous ? nullptr : in_extension;
}

std::vector<const attribute_mapping*> resource_profile::find_all(const attr_path& path) const {
    std::vector<const attribute_mapping*> out;
    const auto it = by_name_.find(std::string_view(path.name));
    if (it == by_name_.end()) {
        return out;
    }
    // Without a URN, the core schema wins; otherwise the extensions that define the name.
    bool core_has_it = false;
    if (path.schema.empty()) {
        core_has_it = std::any_of(it->second.begin(), it->second.end(), [&](const auto* m) {
            return ascii::iequals(m->scim.schema, schema);
        });
    }
    for (const auto* m : it->second) {
        if (!schema_matches(*m, path.schema)) {
            continue;
        }
        if (core_has_it && !ascii::iequals(m->scim.schema, schema)) {
            continue;
        }
        if (!path.sub_attribute.empty() &&
            !ascii::iequals(m->scim.sub_attribute, path.sub_attribute)) {
            continue;
        }
        out.push_back(m);
    }
    return out;
}

const std::vector<const attribute_mapping*>& resource_profile::find_by_ldap(
    std::string_view attribute) const {
    static const std::vector<const attribute_mapping*> none;
    const auto it = by_ldap_.find(without_options(attribute));
    return it == by_ldap_.end() ? none : it->second;
}

bool resource_profile::is_secret(std::string_view ldap_attribute) const {
    // Whatever a profile says, these hold passwords or their hashes in the usual schemas.
    static constexpr std::array<std::string_view, 6> password_attributes = {
        "userPassword",    "authPassword",    "unicodePwd",
        "sambaNTPassword", "sambaLMPassword", "pwdHistory"};
    const std::string_view name = without_options(ldap_attribute);
    const auto same = [name](std::string_view a) { return ascii::iequals(a, name); };
    if (std::any_of(password_attributes.begin(), password_attributes.end(), same) ||
        (password && same(password->ldap))) {
        return true;
    }
    const auto& mapped = find_by_ldap(name);
    return std::any_of(mapped.begin(), mapped.end(), [](const attribute_mapping* m) {
        return m->secret || m->kind == behaviour::password ||
               m->mutability_ == mutability::write_only || m->returned_ == returned::never;
    });
}

const ldap_template* resource_profile::find_template(std::string_view ldap_attribute) const {
    for (const auto& t : templates) {
        if (ascii::iequals(t.ldap, ldap_attribute)) {
            return &t;
        }
    }
    return nullptr;
}

bool resource_profile::knows_schema(std::string_view urn) const {
    if (ascii::iequals(urn, schema)) {
        return true;
    }
    return std::any_of(extensions.begin(), extensions.end(),
                       [&](const extension_schema& e) { return ascii::iequals(e.urn, urn); });
}

bool profile::is_secret(std::string_view ldap_attribute) const {
    const auto types = resources();
    return std::any_of(types.begin(), types.end(),
                       [&](const resource_profile* r) { return r->is_secret(ldap_attribute); });
}

std::vector<const resource_profile*> profile::resources() const {
    std::vector<const resource_profile*> out{&user, &group};
    for (const auto& r : more) {
        out.push_back(&r);
    }
    return out;
}

const resource_profile* profile::find_resource(std::string_view wanted) const {
    // User and Group by their fixed names, so a profile built in code need not set them.
    if (ascii::iequals(wanted, "User")) {
        return &user;
    }
    if (ascii::iequals(wanted, "Group")) {
        return &group;
    }
    for (const auto& r : more) {
        if (ascii::iequals(r.name, wanted)) {
            return &r;
        }
    }
    return nullptr;
}

}  // namespace scimldap::mapping
