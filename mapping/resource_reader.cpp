#include "mapping/resource_reader.hpp"

#include "bridge/ldap/escape.hpp"
#include "mapping/scim_schema_names.hpp"
#include "mapping/value_codec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include "bridge/ldap/ascii_case.hpp"

namespace scimldap::mapping {
namespace json = boost::json;
namespace {

using ascii::iequals;

/// Whether `name` of `schema` is a multi-valued complex attribute (emails, phoneNumbers, ...).
bool is_multi_valued_parent(const attribute_mapping& m) {
    if (m.scim.selector) {
        return true;
    }
    const auto* known = m.rfc != nullptr ? m.rfc : find_rfc_attribute(m.scim.schema, m.scim.name);
    return known != nullptr && known->multi_valued;
}

json::object& container_for(const resource_profile& resource, const attribute_mapping& m,
                            json::object& root) {
    if (iequals(m.scim.schema, resource.schema)) {
        return root;
    }
    json::value& ext = root[m.scim.schema];
    if (!ext.is_object()) {
        ext = json::object();
    }
    return ext.get_object();
}

/// The element of a multi-valued attribute a selected mapping writes into: the first with the
/// selector's value that does not have `sub` yet, else a new one.
json::object& element_for(json::array& items, const attribute_mapping& m, std::string_view sub) {
    for (auto& item : items) {
        auto& o = item.as_object();
        const bool selected = !m.scim.selector || [&] {
            const auto* v = o.if_contains(m.scim.selector->attribute);
            return v && v->is_string() && v->get_string() == m.scim.selector->value;
        }();
        if (selected && !o.contains(sub)) {
            return o;
        }
    }
    json::object fresh(items.storage());
    if (m.scim.selector) {
        fresh[m.scim.selector->attribute] = m.scim.selector->value;
    }
    items.emplace_back(std::move(fresh));
    return items.back().as_object();
}

void place_in_elements(json::object& container, const attribute_mapping& m,
                       std::vector<json::value> values) {
    json::value& slot = container[m.scim.name];
    if (!slot.is_array()) {
        slot = json::array();
    }
    const std::string sub = m.scim.sub_attribute.empty() ? "value" : m.scim.sub_attribute;
    bool first = true;
    for (auto& v : values) {
        json::object& element = element_for(slot.get_array(), m, sub);
        element[sub] = std::move(v);
        if (m.primary && first) {
            element["primary"] = true;
        }
        first = false;
        if (!m.multi_valued) {
            break;
        }
    }
}

void place(json::object& container, const attribute_mapping& m, std::vector<json::value> values) {
    if (values.empty()) {
        return;
    }
    if (is_multi_valued_parent(m)) {
        place_in_elements(container, m, std::move(values));
        return;
    }
    json::value value =
        m.multi_valued ? json::value(json::array(values.begin(), values.end(), container.storage()))
                       : std::move(values.front());
    if (m.scim.sub_attribute.empty()) {
        container[m.scim.name] = std::move(value);
        return;
    }
    json::value& parent = container[m.scim.name];
    if (!parent.is_object()) {
        parent = json::object();
    }
    parent.get_object()[m.scim.sub_attribute] = std::move(value);
}

std::string location(std::string_view base_url, std::string_view endpoint, std::string_view id) {
    std::string out(base_url);
    out += endpoint;
    out += '/';
    out += id;
    return out;
}

std::string endpoint_of(std::string_view resource_type) {
    return resource_type == "Group" ? "/Groups" : "/Users";
}

/// A DN-valued mapping: the ids of what the DNs name, with $ref and display beside them.
void place_references(json::object& container, const resource_profile& resource,
                      const attribute_mapping& m, const std::vector<std::string>& dns,
                      const read_context& c) {
    const bool listed =
        m.kind == behaviour::groups || m.kind == behaviour::members || is_multi_valued_parent(m);
    json::array items(container.storage());
    for (const auto& raw : dns) {
        const ldap::dn name(raw);
        if (resource.members &&
            ldap::normalize_dn(name) == ldap::normalize_dn(resource.members->placeholder_dn)) {
            continue;  // the placeholder keeps groupOfNames valid; SCIM never sees it
        }
        const resolved_reference* ref = c.references ? c.references(name) : nullptr;
        if (ref == nullptr) {
            continue;
        }
        json::object item(items.storage());
        item["value"] = ref->id;
        item["$ref"] = location(c.base_url, endpoint_of(ref->resource_type), ref->id);
        if (!ref->display.empty()) {
            item[listed ? "display" : "displayName"] = ref->display;
        }
        if (m.kind == behaviour::groups) {
            item["type"] = "direct";  // memberOf lists direct memberships
        } else if (m.kind == behaviour::members) {
            item["type"] = ref->resource_type;
        }
        items.emplace_back(std::move(item));
        if (!listed) {
            break;
        }
    }
    if (items.empty()) {
        return;
    }
    if (listed) {
        container[m.scim.name] = std::move(items);
    } else {
        container[m.scim.name] = std::move(items.front());  // manager: {value, $ref, displayName}
    }
}

void place_meta(json::object& root, const resource_profile& resource, const ldap::entry& entry,
                const read_context& c) {
    json::object meta(root.storage());
    meta["resourceType"] = resource.name;
    for (const auto& m : resource.attributes) {
        if (m.kind != behaviour::meta || !c.fields.includes(m)) {
            continue;
        }
        const auto value = entry.first(m.ldap);
        if (!value) {
            continue;
        }
        if (m.scim.sub_attribute == "version") {
            meta["version"] = "W/\"" + *value + "\"";
        } else if (auto v = from_ldap_value(m.type, *value, meta.storage())) {
            meta[m.scim.sub_attribute] = std::move(*v);
        }
    }
    if (const auto id = id_of(resource, entry)) {
        meta["location"] = location(c.base_url, resource.endpoint, *id);
    }
    root["meta"] = std::move(meta);
}

}  // namespace

std::optional<std::string> id_of(const resource_profile& resource, const ldap::entry& entry) {
    return entry.first(resource.id_attribute);
}

std::optional<std::string> etag_of(const resource_profile& resource, const ldap::entry& entry) {
    const auto csn = entry.first(resource.meta.version);
    if (!csn) {
        return std::nullopt;
    }
    return "W/\"" + *csn + "\"";
}

bool is_active(const active_settings& settings, const ldap::entry& entry) {
    const auto value = entry.first(settings.ldap);
    if (settings.how == active_settings::strategy::ppolicy_lock) {
        // Any lock time, administrative (000001010000Z) or set by an admin, means locked.
        return !value.has_value();
    }
    if (!value) {
        return settings.absent_means_active;
    }
    return iequals(*value, settings.true_value);
}

std::vector<const attribute_mapping*> reference_mappings(const resource_profile& resource,
                                                         const projection& fields) {
    std::vector<const attribute_mapping*> out;
    for (const auto& m : resource.attributes) {
        if (m.type == value_type::reference && !m.ldap.empty() && fields.includes(m)) {
            out.push_back(&m);
        }
    }
    return out;
}

json::object to_resource(const resource_profile& resource, const ldap::entry& entry,
                         const read_context& c) {
    json::object root(16, c.storage);  // no rehash for a typical user
    root["schemas"] = json::array();   // first in the output; filled last
    json::array schemas(c.storage);
    schemas.emplace_back(resource.schema);
    bool meta_included = false;
    for (const auto& m : resource.attributes) {
        if (!c.fields.includes(m)) {
            continue;
        }
        json::object& container = container_for(resource, m, root);
        switch (m.kind) {
            case behaviour::password:
                continue;
            case behaviour::meta:
                meta_included = true;
                continue;
            case behaviour::active:
                container[m.scim.name] = resource.active && is_active(*resource.active, entry);
                continue;
            default:
                break;
        }
        const auto* values = entry.find(m.ldap);
        if (values == nullptr || values->empty()) {
            continue;
        }
        if (m.type == value_type::reference) {
            place_references(container, resource, m, *values, c);
            continue;
        }
        std::vector<json::value> converted;
        for (const auto& v : *values) {
            if (auto j = from_ldap_value(m.type, v, root.storage())) {
                converted.push_back(std::move(*j));
            }
        }
        place(container, m, std::move(converted));
    }
    if (meta_included) {
        place_meta(root, resource, entry, c);
    }
    for (const auto& ext : resource.extensions) {
        const auto* v = root.if_contains(ext.urn);
        if (v && v->is_object() && !v->get_object().empty()) {
            schemas.emplace_back(ext.urn);
        } else if (v) {
            root.erase(ext.urn);
        }
    }
    root["schemas"] = std::move(schemas);
    return root;
}

}  // namespace scimldap::mapping
