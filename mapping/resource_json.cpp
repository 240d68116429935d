// The resource is assembled as small ordered lists of JSON text pieces (one per member,
// sub-attribute and element) and then written out: several mappings feed one member (name.*,
// emails[type eq ...], an extension's attributes), so nothing can be written before every
// mapping has been seen, but a JSON DOM (hashing, an allocation per node) is not needed either.
// Every value's text is written once, into one buffer; the lists hold offsets into it.
#include "mapping/resource_json.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "mapping/json_text.hpp"
#include "mapping/value_codec.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

namespace scimldap::mapping {
namespace {

/// Where a piece of JSON text sits in the resource's text buffer.
struct piece {
    std::size_t begin = 0;
    std::size_t size = 0;
};

/// The JSON text of one resource's values.
class text_buffer {
public:
    std::string_view view(piece p) const { return std::string_view(text_).substr(p.begin, p.size); }
    piece add_string(std::string_view s) {
        const std::size_t begin = text_.size();
        append_json_string(text_, s);
        return {begin, text_.size() - begin};
    }
    piece add_raw(std::string_view json) {
        const std::size_t begin = text_.size();
        text_ += json;
        return {begin, json.size()};
    }
    /// A JSON array of pieces already in the buffer.
    piece add_array(const std::vector<piece>& items) {
        const std::size_t begin = text_.size();
        text_ += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0) {
                text_ += ',';
            }
            text_.append(text_, items[i].begin, items[i].size);
        }
        text_ += ']';
        return {begin, text_.size() - begin};
    }
    void reserve(std::size_t n) { text_.reserve(n); }

private:
    std::string text_;
};

/// A key and its value.
struct field {
    std::string_view name;
    piece json;
};

/// One member of a resource or extension object: a value, an object of sub-attributes
/// (name.givenName), or an array of elements (emails[type eq "work"].value).
struct member {
    enum class shape { value, object, elements };
    std::string_view name;
    shape how = shape::value;
    piece json;                                // value
    std::vector<field> fields;                 // object
    std::vector<std::vector<field>> elements;  // elements
};

/// The members of one object (the resource itself, or one schema extension), in order.
struct object_text {
    std::string_view schema;
    std::vector<member> members;

    member& at(std::string_view name, member::shape how) {
        auto it = std::find_if(members.begin(), members.end(),
                               [&](const member& m) { return m.name == name; });
        if (it == members.end()) {
            members.push_back(member{name, how, {}, {}, {}});
            return members.back();
        }
        if (it->how != how) {  // a later mapping of another shape replaces the value
            *it = member{name, how, {}, {}, {}};
        }
        return *it;
    }
};

field* find_field(std::vector<field>& fields, std::string_view name) {
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const field& f) { return f.name == name; });
    return it == fields.end() ? nullptr : &*it;
}

void set_field(std::vector<field>& fields, std::string_view name, piece json) {
    if (auto* f = find_field(fields, name)) {
        f->json = json;
    } else {
        fields.push_back({name, json});
    }
}

/// One LDAP value as SCIM JSON text; nullopt when the type cannot represent it.
std::optional<piece> value_json(text_buffer& text, value_type type, std::string_view v) {
    switch (type) {
        case value_type::string:
        case value_type::reference:
            return text.add_string(v);
        case value_type::date_time:
            if (auto x = generalized_time_to_xsd(v)) {
                return text.add_string(*x);
            }
            return std::nullopt;
        default:
            break;
    }
    auto j = from_ldap_value(type, v);
    if (!j) {
        return std::nullopt;
    }
    return text.add_raw(boost::json::serialize(*j));
}

/// Whether the mapping writes into the elements of a multi-valued complex attribute (emails,
/// phoneNumbers, ...).
bool is_multi_valued_parent(const attribute_mapping& m) {
    if (m.scim.selector) {
        return true;
    }
    const auto* known = m.rfc != nullptr ? m.rfc : find_rfc_attribute(m.scim.schema, m.scim.name);
    return known != nullptr && known->multi_valued;
}

std::string location(std::string_view base_url, std::string_view endpoint, std::string_view id) {
    std::string out(base_url);
    out += endpoint;
    out += '/';
    out += id;
    return out;
}

std::string_view endpoint_of(std::string_view resource_type) {
    return resource_type == "Group" ? "/Groups" : "/Users";
}

/// Collects one entry's SCIM members, then writes them.
class resource_builder {
public:
    resource_builder(const resource_profile& resource, const ldap::entry& entry,
                     const read_context& c)
        : resource_(resource), entry_(entry), c_(c), core_{resource.schema, {}} {
        text_.reserve(1024);
    }

    void collect() {
        for (const auto& m : resource_.attributes) {
            if (c_.fields.includes(m)) {
                collect(m);
            }
        }
    }

    void write(std::string& out) const {
        out += "{\"schemas\":[";
        append_json_string(out, resource_.schema);
        for (const auto& ext : resource_.extensions) {
            const bool present = std::any_of(
                extensions_.begin(), extensions_.end(),
                [&](const auto& o) { return o.schema == ext.urn && !o.members.empty(); });
            if (present) {
                out += ',';
                append_json_string(out, ext.urn);
            }
        }
        out += ']';
        write_members(out, core_, true);
        for (const auto& ext : extensions_) {
            if (ext.members.empty()) {
                continue;  // an extension with nothing to show is left out, and out of "schemas"
            }
            out += ',';
            append_json_string(out, ext.schema);
            out += ":{";
            write_members(out, ext, false);
            out += '}';
        }
        if (meta_included_) {
            write_meta(out);
        }
        out += '}';
    }

private:
    void collect(const attribute_mapping& m) {
        object_text& container = container_for(m);
        switch (m.kind) {
            case behaviour::password:
                return;
            case behaviour::meta:
                meta_included_ = true;
                collect_meta(m);
                return;
            case behaviour::active: {
                const bool active = resource_.active && is_active(*resource_.active, entry_);
                container.at(m.scim.name, member::shape::value).json =
                    text_.add_raw(active ? "true" : "false");
                return;
            }
            default:
                break;
        }
        const auto* values = entry_.find(m.ldap);
        if (values == nullptr || values->empty()) {
            return;
        }
        if (m.type == value_type::reference) {
            place_references(container, m, *values);
            return;
        }
        std::vector<piece> converted;
        converted.reserve(values->size());
        for (const auto& v : *values) {
            if (auto j = value_json(text_, m.type, v)) {
                converted.push_back(*j);
            }
        }
        place(container, m, converted);
    }

    object_text& container_for(const attribute_mapping& m) {
        if (ascii::iequals(m.scim.schema, resource_.schema)) {
            return core_;
        }
        auto it = std::find_if(extensions_.begin(), extensions_.end(),
                               [&](const object_text& o) { return o.schema == m.scim.schema; });
        if (it != extensions_.end()) {
            return *it;
        }
        return extensions_.emplace_back(object_text{m.scim.schema, {}});
    }

    void place(object_text& container, const attribute_mapping& m,
               const std::vector<piece>& values) {
        if (values.empty()) {
            return;
        }
        if (is_multi_valued_parent(m)) {
            place_in_elements(container, m, values);
            return;
        }
        const piece json = m.multi_valued ? text_.add_array(values) : values.front();
        if (m.scim.sub_attribute.empty()) {
            container.at(m.scim.name, member::shape::value).json = json;
            return;
        }
        set_field(container.at(m.scim.name, member::shape::object).fields, m.scim.sub_attribute,
                  json);
    }

    void place_in_elements(object_text& container, const attribute_mapping& m,
                           const std::vector<piece>& values) {
        member& slot = container.at(m.scim.name, member::shape::elements);
        const std::string_view sub = m.scim.sub_attribute.empty()
                                         ? std::string_view("value")
                                         : std::string_view(m.scim.sub_attribute);
        std::optional<piece> selector;
        if (m.scim.selector) {
            selector = text_.add_string(m.scim.selector->value);
        }
        bool first = true;
        for (const piece v : values) {
            auto& element = element_for(slot, m, sub, selector);
            set_field(element, sub, v);
            if (m.primary && first) {
                set_field(element, "primary", text_.add_raw("true"));
            }
            first = false;
            if (!m.multi_valued) {
                break;
            }
        }
    }

    /// The element a selected mapping writes `sub` into: the first with the selector's value
    /// that has no `sub` yet, else a new one.
    std::vector<field>& element_for(member& slot, const attribute_mapping& m, std::string_view sub,
                                    const std::optional<piece>& selector) {
        for (auto& element : slot.elements) {
            bool selected = true;
            if (selector) {
                const auto* s = find_field(element, m.scim.selector->attribute);
                selected = s != nullptr && text_.view(s->json) == text_.view(*selector);
            }
            if (selected && find_field(element, sub) == nullptr) {
                return element;
            }
        }
        auto& fresh = slot.elements.emplace_back();
        if (selector) {
            fresh.push_back({m.scim.selector->attribute, *selector});
        }
        return fresh;
    }

    /// A DN-valued mapping: the ids of what the DNs name, with $ref and display beside them.
    /// manager is one object; groups and members are arrays.
    void place_references(object_text& container, const attribute_mapping& m,
                          const std::vector<std::string>& dns) {
        const bool listed = m.kind == behaviour::groups || m.kind == behaviour::members ||
                            is_multi_valued_parent(m);
        const std::string placeholder = resource_.members
                                            ? ldap::normalize_dn(resource_.members->placeholder_dn)
                                            : std::string();
        std::vector<piece> items;
        for (const auto& raw : dns) {
            const ldap::dn name(raw);
            if (resource_.members && ldap::normalize_dn(name) == placeholder) {
                continue;  // the placeholder keeps groupOfNames valid; SCIM never sees it
            }
            const resolved_reference* ref = c_.references ? c_.references(name) : nullptr;
            if (ref == nullptr) {
                continue;
            }
            items.push_back(reference_json(m, *ref, listed));
            if (!listed) {
                break;
            }
        }
        if (items.empty()) {
            return;
        }
        container.at(m.scim.name, member::shape::value).json =
            listed ? text_.add_array(items) : items.front();
    }

    /// One reference as {value, $ref, display|displayName, type}.
    piece reference_json(const attribute_mapping& m, const resolved_reference& ref, bool listed) {
        std::string out = "{\"value\":";
        append_json_string(out, ref.id);
        out += ",\"$ref\":";
        append_json_string(out, location(c_.base_url, endpoint_of(ref.resource_type), ref.id));
        if (!ref.display.empty()) {
            out += listed ? ",\"display\":" : ",\"displayName\":";
            append_json_string(out, ref.display);
        }
        if (m.kind == behaviour::groups) {
            out += ",\"type\":\"direct\"";  // memberOf lists direct memberships
        } else if (m.kind == behaviour::members) {
            out += ",\"type\":";
            append_json_string(out, ref.resource_type);
        }
        out += '}';
        return text_.add_raw(out);
    }

    /// meta.created, lastModified, version: the text goes with the other values; location is
    /// written from the id.
    void collect_meta(const attribute_mapping& m) {
        const auto* values = entry_.find(m.ldap);
        if (values == nullptr || values->empty()) {
            return;
        }
        if (m.scim.sub_attribute == "version") {
            set_field(meta_, "version", text_.add_string("W/\"" + values->front() + "\""));
        } else if (auto v = value_json(text_, m.type, values->front())) {
            set_field(meta_, m.scim.sub_attribute, *v);
        }
    }

    void write_meta(std::string& out) const {
        out += ",\"meta\":{\"resourceType\":";
        append_json_string(out, resource_.name);
        for (const auto& f : meta_) {
            out += ',';
            append_json_string(out, f.name);
            out += ':';
            out += text_.view(f.json);
        }
        if (const std::string url = location_of(resource_, entry_, c_.base_url); !url.empty()) {
            out += ",\"location\":";
            append_json_string(out, url);
        }
        out += '}';
    }

    void write_fields(std::string& out, const std::vector<field>& fields) const {
        out += '{';
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            append_json_string(out, fields[i].name);
            out += ':';
            out += text_.view(fields[i].json);
        }
        out += '}';
    }

    void write_member(std::string& out, const member& m) const {
        append_json_string(out, m.name);
        out += ':';
        switch (m.how) {
            case member::shape::value:
                out += text_.view(m.json);
                return;
            case member::shape::object:
                write_fields(out, m.fields);
                return;
            case member::shape::elements:
                out += '[';
                for (std::size_t i = 0; i < m.elements.size(); ++i) {
                    if (i > 0) {
                        out += ',';
                    }
                    write_fields(out, m.elements[i]);
                }
                out += ']';
                return;
        }
    }

    void write_members(std::string& out, const object_text& o, bool comma_first) const {
        for (const auto& m : o.members) {
            if (comma_first) {
                out += ',';
            }
            comma_first = true;
            write_member(out, m);
        }
    }

    const resource_profile& resource_;
    const ldap::entry& entry_;
    const read_context& c_;
    text_buffer text_;
    object_text core_;
    std::vector<object_text> extensions_;
    std::vector<field> meta_;
    bool meta_included_ = false;
};

}  // namespace

std::string location_of(const resource_profile& resource, const ldap::entry& entry,
                        std::string_view base_url) {
    const auto* ids = entry.find(resource.id_attribute);
    return ids != nullptr && !ids->empty() ? location(base_url, resource.endpoint, ids->front())
                                           : std::string();
}

void append_resource_json(std::string& out, const resource_profile& resource,
                          const ldap::entry& entry, const read_context& context) {
    resource_builder builder(resource, entry, context);
    builder.collect();
    builder.write(out);
}

}  // namespace scimldap::mapping
