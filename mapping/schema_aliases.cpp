#include "mapping/schema_aliases.hpp"

#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"
#include "mapping/scim_schema_names.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace scimldap::mapping {

namespace json = boost::json;

namespace {

// SCIM 1.1 (RFC-less 2012 drafts) and what OneLogin's templates and Entra's groups send.
constexpr std::array<std::string_view, 3> core_aliases = {
    "urn:scim:schemas:core:1.0", "urn:scim:schemas:core:2.0",
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"};
// The last one is the typo in Entra's documentation example.
constexpr std::array<std::string_view, 3> enterprise_aliases = {
    "urn:scim:schemas:extension:enterprise:1.0", "urn:scim:schemas:extension:enterprise:2.0",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"};

bool listed(std::string_view urn, const auto& aliases) {
    return std::any_of(aliases.begin(), aliases.end(),
                       [urn](std::string_view a) { return ascii::iequals(a, urn); });
}

/// The alias `text` starts with, followed by ':' (a path into that schema), if any.
std::optional<std::string_view> alias_prefix(std::string_view text) {
    for (const auto& aliases : {core_aliases, enterprise_aliases}) {
        for (std::string_view alias : aliases) {
            if (text.size() > alias.size() && text[alias.size()] == ':' &&
                ascii::iequals(text.substr(0, alias.size()), alias)) {
                return alias;
            }
        }
    }
    return std::nullopt;
}

void standardize_schemas_list(const resource_profile& resource, json::object& body) {
    json::value* schemas = find_member(body, "schemas");
    if (schemas == nullptr || !schemas->is_array()) {
        return;
    }
    json::array out;
    const auto seen = [&out](std::string_view urn) {
        return std::any_of(out.begin(), out.end(), [urn](const json::value& v) {
            return v.is_string() && ascii::iequals(v.get_string(), urn);
        });
    };
    for (const auto& s : schemas->get_array()) {
        if (!s.is_string()) {
            out.push_back(s);  // the writer refuses it with its own message
            continue;
        }
        const auto standard = standard_schema(resource, s.get_string());
        const std::string_view urn = standard ? std::string_view(*standard) : s.get_string();
        if (!seen(urn)) {
            out.emplace_back(urn);
        }
    }
    *schemas = std::move(out);
}

/// Moves an alias key's attributes to the standard key; a core alias's go to the body itself.
void standardize_keys(const resource_profile& resource, json::object& body) {
    std::vector<std::string> aliases;
    for (const auto& [key, value] : body) {
        if (value.is_object() && standard_schema(resource, key)) {
            aliases.emplace_back(key);
        }
    }
    for (const auto& key : aliases) {
        json::object moved = std::move(body.at(key).get_object());
        body.erase(key);
        const std::string standard = *standard_schema(resource, key);
        json::object* target = &body;
        if (!ascii::iequals(standard, resource.schema)) {
            json::value* existing = find_member(body, standard);
            if (existing == nullptr || !existing->is_object()) {
                body[standard] = json::object();
                existing = &body[standard];
            }
            target = &existing->get_object();
        }
        for (auto& [k, v] : moved) {
            if (find_member(*target, k) == nullptr) {
                (*target)[k] = std::move(v);
            }
        }
    }
}

}  // namespace

std::optional<std::string> standard_schema(const resource_profile& resource, std::string_view urn) {
    if (listed(urn, core_aliases)) {
        return resource.schema;
    }
    if (listed(urn, enterprise_aliases) && resource.knows_schema(enterprise_user_schema)) {
        return std::string(enterprise_user_schema);
    }
    return std::nullopt;
}

void standardize_resource_body(const resource_profile& resource, json::object& body) {
    standardize_schemas_list(resource, body);
    standardize_keys(resource, body);
}

void standardize_patch_body(const resource_profile& resource, json::object& body) {
    json::value* ops = find_member(body, "Operations");
    if (ops == nullptr || !ops->is_array()) {
        return;
    }
    for (auto& op : ops->get_array()) {
        if (!op.is_object()) {
            continue;
        }
        if (json::value* path = find_member(op.get_object(), "path"); path && path->is_string()) {
            const std::string_view text = path->get_string();
            if (const auto alias = alias_prefix(text)) {
                if (const auto standard = standard_schema(resource, *alias)) {
                    *path = *standard + std::string(text.substr(alias->size()));
                }
            }
        }
        if (json::value* value = find_member(op.get_object(), "value");
            value && value->is_object()) {
            standardize_keys(resource, value->get_object());
        }
    }
}

}  // namespace scimldap::mapping
