#include "mapping/discovery.hpp"

#include "mapping/scim_schema_names.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

namespace scimldap::mapping {
namespace {

using ascii::iequals;

// The bearer-token scheme's specification (RFC 6750), as in RFC 7643 §8.5's example.
constexpr std::string_view bearer_spec_uri = "https://www.rfc-editor.org/info/rfc6750";
// OAuth 2.0 (RFC 6749), whose client credentials grant issues the bridge's access tokens.
constexpr std::string_view oauth2_spec_uri = "https://www.rfc-editor.org/info/rfc6749";

/// The mappings of one top-level attribute of one schema.
struct attribute_group {
    std::string name;
    std::vector<const attribute_mapping*> mappings;
};

bool is_common_attribute(const attribute_mapping& m) {
    // RFC 7643 §3.1: id and meta belong to every resource; §8.7.1 does not list them.
    return m.kind == behaviour::id || m.kind == behaviour::meta;
}

std::vector<attribute_group> group_by_attribute(const resource_profile& r,
                                                std::string_view schema_urn) {
    std::vector<attribute_group> groups;
    for (const attribute_mapping& m : r.attributes) {
        if (!iequals(m.scim.schema, schema_urn) || is_common_attribute(m)) {
            continue;
        }
        auto it = std::find_if(groups.begin(), groups.end(), [&](const attribute_group& g) {
            return iequals(g.name, m.scim.name);
        });
        if (it == groups.end()) {
            groups.push_back({m.scim.name, {}});
            it = std::prev(groups.end());
        }
        it->mappings.push_back(&m);
    }
    return groups;
}

/// Position of name in RFC order (unknown names last); orders attributes as RFC 7643 lists them.
std::size_t rfc_rank(const std::vector<std::string_view>& order, std::string_view name) {
    const auto it = std::find_if(order.begin(), order.end(),
                                 [&](std::string_view n) { return iequals(n, name); });
    return it == order.end() ? std::numeric_limits<std::size_t>::max()
                             : static_cast<std::size_t>(it - order.begin());
}

std::vector<std::string_view> rfc_order(std::string_view schema_urn) {
    std::vector<std::string_view> order;
    if (const auto* known = rfc_attributes(schema_urn)) {
        for (const known_attribute& a : *known) {
            order.push_back(a.name);
        }
    }
    return order;
}

/// The RFC spelling of a sub-attribute when the RFC defines it, else as the profile wrote it.
std::string canonical_sub_name(const known_attribute* known, std::string_view sub) {
    if (known != nullptr) {
        for (std::string_view s : known->sub_attributes) {
            if (iequals(s, sub)) {
                return std::string(s);
            }
        }
    }
    return std::string(sub);
}

schema_attribute from_mapping(const attribute_mapping& m, std::string name) {
    schema_attribute a;
    a.name = std::move(name);
    a.type = std::string(to_string(m.type));
    a.multi_valued = m.multi_valued;
    a.description = m.description;
    a.required = m.required;
    a.canonical_values = m.canonical_values;
    a.case_exact = m.case_exact;
    a.mutability_ = m.mutability_;
    a.returned_ = m.returned_;
    a.uniqueness_ = m.uniqueness_;
    if (m.type == value_type::reference) {
        a.reference_types = m.reference_types;
    }
    return a;
}

/// A sub-attribute the bridge computes from the directory; a value sent for it is ignored
/// (RFC 7643 §7 readOnly), so it is published as readOnly.
schema_attribute derived(std::string name, std::string type, bool case_exact) {
    schema_attribute a;
    a.name = std::move(name);
    a.type = std::move(type);
    a.case_exact = case_exact;
    a.mutability_ = mutability::read_only;
    return a;
}

/// The canonical values of a reference's "type" sub-attribute, from the profile's own settings.
std::vector<std::string> reference_type_values(const resource_profile& r,
                                               const attribute_mapping& m) {
    if (m.kind == behaviour::members && r.members) {
        return r.members->types;
    }
    if (m.kind == behaviour::groups) {
        // The member-of attribute lists direct memberships only (RFC 7643 §4.1.2 "direct").
        return {"direct"};
    }
    return {};
}

/// A reference mapping (LDAP DN ⇄ SCIM id) is published the way RFC 7643 §4.1.2/§4.2/§4.3 shape
/// references: "value" holds the id (a string), "$ref" the URI, plus the display name and, for
/// groups and members, the referenced resource's type.
void add_reference_subs(const resource_profile& r, const attribute_mapping& m,
                        const known_attribute* known, bool parent_multi,
                        std::vector<schema_attribute>& subs) {
    schema_attribute value = from_mapping(m, canonical_sub_name(known, m.scim.sub_attribute));
    value.type = std::string(to_string(value_type::string));
    value.reference_types.clear();
    value.multi_valued = parent_multi ? false : m.multi_valued;
    subs.push_back(std::move(value));

    schema_attribute ref = derived("$ref", std::string(to_string(value_type::reference)), true);
    ref.reference_types = m.reference_types;
    subs.push_back(std::move(ref));
    if (known == nullptr) {
        return;
    }
    for (std::string_view s : known->sub_attributes) {
        if (s == "display" || s == "displayName") {
            subs.push_back(derived(std::string(s), "string", false));
        } else if (s == "type") {
            schema_attribute type = derived("type", "string", false);
            type.canonical_values = reference_type_values(r, m);
            subs.push_back(std::move(type));
        }
    }
}

bool has_sub(const std::vector<schema_attribute>& subs, std::string_view name) {
    return std::any_of(subs.begin(), subs.end(),
                       [&](const schema_attribute& s) { return iequals(s.name, name); });
}

/// The selector attribute of the mapped elements (usually "type") with the values mapped, e.g.
/// emails[type eq "work"] and emails[type eq "home"] give type with canonicalValues work, home.
void add_selector_subs(const attribute_group& g, const known_attribute* known,
                       std::vector<schema_attribute>& subs) {
    std::vector<std::pair<std::string, std::vector<std::string>>> selectors;
    for (const attribute_mapping* m : g.mappings) {
        if (!m->scim.selector) {
            continue;
        }
        const std::string name = canonical_sub_name(known, m->scim.selector->attribute);
        auto it = std::find_if(selectors.begin(), selectors.end(),
                               [&](const auto& s) { return s.first == name; });
        if (it == selectors.end()) {
            selectors.push_back({name, {}});
            it = std::prev(selectors.end());
        }
        if (std::find(it->second.begin(), it->second.end(), m->scim.selector->value) ==
            it->second.end()) {
            it->second.push_back(m->scim.selector->value);
        }
    }
    for (auto& [name, values] : selectors) {
        if (has_sub(subs, name)) {
            continue;
        }
        schema_attribute s;
        s.name = name;
        s.type = "string";
        s.canonical_values = std::move(values);
        subs.push_back(std::move(s));
    }
    const bool primary = std::any_of(g.mappings.begin(), g.mappings.end(),
                                     [](const attribute_mapping* m) { return m->primary; });
    if (primary && !has_sub(subs, "primary")) {
        // The profile decides which element is primary, so a client cannot change it.
        subs.push_back(derived("primary", "boolean", false));
    }
}

/// One characteristic shared by all sub-attributes, or fallback when they differ.
template <class T>
T common(const std::vector<schema_attribute>& subs, T schema_attribute::*field, T fallback) {
    if (subs.empty()) {
        return fallback;
    }
    const T first = subs.front().*field;
    const bool same = std::all_of(subs.begin(), subs.end(),
                                  [&](const schema_attribute& s) { return s.*field == first; });
    return same ? first : fallback;
}

schema_attribute complex_attribute(const resource_profile& r, const attribute_group& g,
                                   const known_attribute* known) {
    schema_attribute a;
    a.name = known != nullptr ? std::string(known->name) : g.name;
    a.type = "complex";
    a.multi_valued = known != nullptr
                         ? known->multi_valued
                         : std::any_of(g.mappings.begin(), g.mappings.end(), [](const auto* m) {
                               return m->multi_valued || m->scim.selector.has_value();
                           });
    for (const attribute_mapping* m : g.mappings) {
        const std::string sub = canonical_sub_name(
            known, m->scim.sub_attribute.empty() ? "value" : m->scim.sub_attribute);
        if (has_sub(a.sub_attributes, sub)) {
            continue;  // several selected elements share one definition of their value
        }
        if (m->type == value_type::reference) {
            add_reference_subs(r, *m, known, a.multi_valued, a.sub_attributes);
            continue;
        }
        schema_attribute s = from_mapping(*m, sub);
        s.multi_valued = a.multi_valued ? false : m->multi_valued;
        s.required = m->required && !m->scim.selector;  // one element's value is never required
        a.sub_attributes.push_back(std::move(s));
    }
    add_selector_subs(g, known, a.sub_attributes);
    if (known != nullptr) {
        std::stable_sort(a.sub_attributes.begin(), a.sub_attributes.end(),
                         [&](const schema_attribute& x, const schema_attribute& y) {
                             return rfc_rank(known->sub_attributes, x.name) <
                                    rfc_rank(known->sub_attributes, y.name);
                         });
    }
    a.required = std::any_of(a.sub_attributes.begin(), a.sub_attributes.end(),
                             [](const schema_attribute& s) { return s.required; });
    a.mutability_ =
        common(a.sub_attributes, &schema_attribute::mutability_, mutability::read_write);
    a.returned_ = common(a.sub_attributes, &schema_attribute::returned_, returned::by_default);
    return a;
}

schema_attribute build_attribute(const resource_profile& r, std::string_view schema_urn,
                                 const attribute_group& g) {
    const known_attribute* known = find_rfc_attribute(schema_urn, g.name);
    const bool complex = known != nullptr
                             ? !known->sub_attributes.empty()
                             : std::any_of(g.mappings.begin(), g.mappings.end(), [](const auto* m) {
                                   return !m->scim.sub_attribute.empty() || m->scim.selector;
                               });
    if (complex) {
        return complex_attribute(r, g, known);
    }
    return from_mapping(*g.mappings.front(), known != nullptr ? std::string(known->name) : g.name);
}

boost::json::array strings(const std::vector<std::string>& values) {
    boost::json::array out;
    for (const std::string& v : values) {
        out.emplace_back(v);
    }
    return out;
}

/// Schema name and description: the RFC's for its schemas (§8.7.1), else made from the URN.
std::pair<std::string, std::string> schema_title(std::string_view urn) {
    if (iequals(urn, core_user_schema)) {
        return {"User", "User Account"};
    }
    if (iequals(urn, core_group_schema)) {
        return {"Group", "Group"};
    }
    if (iequals(urn, enterprise_user_schema)) {
        return {"EnterpriseUser", "Enterprise User"};
    }
    // urn:...:extension:<label...>:<version>:<Resource> → "<label...> <Resource>"
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= urn.size()) {
        const std::size_t colon = urn.find(':', start);
        parts.push_back(urn.substr(start, colon - start));
        if (colon == std::string_view::npos) {
            break;
        }
        start = colon + 1;
    }
    auto it = std::find(parts.begin(), parts.end(), std::string_view("extension"));
    std::string name;
    for (it = it == parts.end() ? std::prev(parts.end()) : std::next(it); it != parts.end(); ++it) {
        const bool version = !it->empty() && std::isdigit(static_cast<unsigned char>(it->front()));
        if (version || it->empty()) {
            continue;
        }
        name += name.empty() ? "" : " ";
        name += *it;
    }
    return {name.empty() ? std::string(urn) : name,
            "Extension attributes the mapping profile stores for " + std::string(urn)};
}

boost::json::object meta(std::string_view resource_type, std::string location) {
    boost::json::object m;
    m["resourceType"] = resource_type;
    m["location"] = std::move(location);
    return m;
}

boost::json::object supported(bool yes) {
    boost::json::object o;
    o["supported"] = yes;
    return o;
}

}  // namespace

std::vector<schema_attribute> schema_attributes(const resource_profile& r,
                                                std::string_view schema_urn) {
    std::vector<attribute_group> groups = group_by_attribute(r, schema_urn);
    const std::vector<std::string_view> order = rfc_order(schema_urn);
    std::stable_sort(groups.begin(), groups.end(),
                     [&](const attribute_group& x, const attribute_group& y) {
                         return rfc_rank(order, x.name) < rfc_rank(order, y.name);
                     });
    std::vector<schema_attribute> out;
    out.reserve(groups.size());
    for (const attribute_group& g : groups) {
        out.push_back(build_attribute(r, schema_urn, g));
    }
    return out;
}

boost::json::object to_json(const schema_attribute& a) {
    boost::json::object o;
    o["name"] = a.name;
    o["type"] = a.type;
    o["multiValued"] = a.multi_valued;
    if (!a.description.empty()) {
        o["description"] = a.description;
    }
    o["required"] = a.required;
    if (!a.canonical_values.empty()) {
        o["canonicalValues"] = strings(a.canonical_values);
    }
    o["caseExact"] = a.case_exact;
    o["mutability"] = to_string(a.mutability_);
    o["returned"] = to_string(a.returned_);
    o["uniqueness"] = to_string(a.uniqueness_);
    if (a.type == to_string(value_type::reference)) {
        o["referenceTypes"] = strings(a.reference_types);
    }
    if (a.type == "complex") {
        boost::json::array subs;
        for (const schema_attribute& s : a.sub_attributes) {
            subs.emplace_back(to_json(s));
        }
        o["subAttributes"] = std::move(subs);
    }
    return o;
}

boost::json::object schema_resource(const resource_profile& r, std::string_view schema_urn,
                                    std::string_view base_url) {
    const auto [name, description] = schema_title(schema_urn);
    boost::json::object o;
    o["schemas"] = boost::json::array{schema_schema};
    o["id"] = schema_urn;
    o["name"] = name;
    o["description"] = description;
    boost::json::array attributes;
    for (const schema_attribute& a : schema_attributes(r, schema_urn)) {
        attributes.emplace_back(to_json(a));
    }
    o["attributes"] = std::move(attributes);
    o["meta"] = meta("Schema", std::string(base_url) + "/Schemas/" + std::string(schema_urn));
    return o;
}

boost::json::array schema_resources(const profile& p, std::string_view base_url) {
    boost::json::array out;
    for (const resource_profile* r : p.resources()) {
        out.emplace_back(schema_resource(*r, r->schema, base_url));
        for (const extension_schema& e : r->extensions) {
            out.emplace_back(schema_resource(*r, e.urn, base_url));
        }
    }
    return out;
}

boost::json::object resource_type_resource(const resource_profile& r, std::string_view base_url) {
    boost::json::object o;
    o["schemas"] = boost::json::array{resource_type_schema};
    o["id"] = r.name;
    o["name"] = r.name;
    o["description"] = schema_title(r.schema).second;
    o["endpoint"] = r.endpoint;
    o["schema"] = r.schema;
    boost::json::array extensions;
    for (const extension_schema& e : r.extensions) {
        boost::json::object x;
        x["schema"] = e.urn;
        x["required"] = e.required;
        extensions.emplace_back(std::move(x));
    }
    o["schemaExtensions"] = std::move(extensions);
    o["meta"] = meta("ResourceType", std::string(base_url) + "/ResourceTypes/" + r.name);
    return o;
}

boost::json::array resource_type_resources(const profile& p, std::string_view base_url) {
    boost::json::array out;
    for (const resource_profile* r : p.resources()) {
        out.emplace_back(resource_type_resource(*r, base_url));
    }
    return out;
}

boost::json::object service_provider_config(const profile& p,
                                            const service_provider_options& options,
                                            std::string_view base_url) {
    boost::json::object o;
    o["schemas"] = boost::json::array{service_provider_config_schema};
    if (options.documentation_uri) {
        o["documentationUri"] = *options.documentation_uri;
    }
    o["patch"] = supported(true);
    // RFC 7644 §3.7.4: a client keeps its bulk requests within these.
    boost::json::object bulk = supported(options.bulk_max_operations > 0);
    bulk["maxOperations"] = options.bulk_max_operations;
    bulk["maxPayloadSize"] = options.bulk_max_operations > 0 ? options.bulk_max_payload_bytes : 0;
    o["bulk"] = std::move(bulk);
    boost::json::object filter = supported(true);
    filter["maxResults"] = options.max_results;
    o["filter"] = std::move(filter);
    // RFC 9865 §4: both ways of paging; startIndex stays the default (§2.4).
    boost::json::object pagination{{"cursor", true},
                                   {"index", true},
                                   {"defaultPaginationMethod", "index"},
                                   {"maxPageSize", options.max_results},
                                   {"cursorTimeout", options.cursor_timeout_seconds}};
    if (options.default_page_size > 0) {  // a positive integer when given
        pagination["defaultPageSize"] = options.default_page_size;
    }
    o["pagination"] = std::move(pagination);
    o["changePassword"] = supported(p.user.password.has_value());
    o["sort"] = supported(true);
    o["etag"] = supported(true);
    boost::json::object bearer;
    bearer["type"] = "oauthbearertoken";
    bearer["name"] = "OAuth Bearer Token";
    bearer["description"] =
        "Authentication with a static bearer token in the Authorization header (RFC 6750); "
        "the token selects the tenant";
    bearer["specUri"] = bearer_spec_uri;
    bearer["primary"] = true;
    boost::json::array schemes{std::move(bearer)};
    if (options.oauth_client_credentials) {
        // RFC 7643 §5 names "oauth2" for OAuth 2.0; the access token it issues is then sent as
        // the bearer token above.
        boost::json::object oauth;
        oauth["type"] = "oauth2";
        oauth["name"] = "OAuth 2.0 client credentials";
        oauth["description"] =
            "POST grant_type=client_credentials with the client id and secret (HTTP Basic or "
            "form body) to /oauth/token at the server root (RFC 6749 §4.4); send the "
            "access_token it returns as the bearer token";
        oauth["specUri"] = oauth2_spec_uri;
        oauth["primary"] = false;
        schemes.emplace_back(std::move(oauth));
    }
    o["authenticationSchemes"] = std::move(schemes);
    o["meta"] = meta("ServiceProviderConfig", std::string(base_url) + "/ServiceProviderConfig");
    return o;
}

}  // namespace scimldap::mapping
