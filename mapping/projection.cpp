#include "mapping/projection.hpp"

#include "mapping/filter_parser.hpp"

#include <algorithm>
#include <cctype>
#include "base/ascii_case.hpp"

namespace scimldap::mapping {
namespace {

using ascii::iequals;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

void add_all(const resource_profile& resource, std::string_view list, auto& out) {
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string_view item = trim(list.substr(start, comma - start));
        start = comma + 1;
        if (item.empty()) {
            continue;
        }
        if (resource.knows_schema(item)) {
            out.push_back({std::string(item), "", ""});
            continue;
        }
        auto parsed = parse_path(item);
        if (!parsed || parsed->value_filter) {
            continue;  // not an attribute path: nothing to select
        }
        const attr_path& p = parsed->attribute;
        out.push_back({p.schema, p.name, p.sub_attribute});
    }
}

}  // namespace

projection projection::parse(const resource_profile& resource, std::string_view attributes,
                             std::string_view excluded_attributes) {
    projection p;
    add_all(resource, attributes, p.include_);
    add_all(resource, excluded_attributes, p.exclude_);
    return p;
}

projection projection::everything() {
    projection p;
    p.everything_ = true;
    return p;
}

bool projection::matches(const entry& e, std::string_view schema, std::string_view name,
                         std::string_view sub) {
    if (e.name.empty()) {
        return iequals(e.schema, schema);
    }
    if (!e.schema.empty() && !iequals(e.schema, schema)) {
        return false;
    }
    if (!iequals(e.name, name)) {
        return false;
    }
    // "name" selects name.givenName; "name.givenName" does not select "name" as a whole.
    return e.sub.empty() || sub.empty() || iequals(e.sub, sub);
}

bool projection::includes(std::string_view schema, std::string_view name, std::string_view sub,
                          returned how) const {
    if (how == returned::never) {
        return false;
    }
    if (how == returned::always || everything_) {
        return true;
    }
    auto hit = [&](const entry& e) { return matches(e, schema, name, sub); };
    if (!include_.empty()) {
        return std::any_of(include_.begin(), include_.end(), hit);
    }
    if (how == returned::request) {
        return false;
    }
    return std::none_of(exclude_.begin(), exclude_.end(), hit);
}

bool projection::includes(const attribute_mapping& m) const {
    if (m.mutability_ == mutability::write_only) {
        return false;  // RFC 7643 §7: writeOnly attributes are never returned
    }
    return includes(m.scim.schema, m.scim.name, m.scim.sub_attribute, m.returned_);
}

std::vector<std::string> projection::ldap_attributes(const resource_profile& resource) const {
    if (!everything_ && include_.empty() && exclude_.empty()) {
        return resource.default_read_attributes();
    }
    std::vector<std::string> out{resource.id_attribute, resource.meta.version};
    auto add = [&](const std::string& a) {
        if (!a.empty() && std::none_of(out.begin(), out.end(),
                                       [&](const std::string& x) { return iequals(x, a); })) {
            out.push_back(a);
        }
    };
    // The loader gives every behaviour (meta, active, groups, ...) a mapping with its LDAP name.
    for (const auto& m : resource.attributes) {
        if (includes(m)) {
            add(m.ldap);
            if (m.kind == behaviour::active && resource.active) {
                add(resource.active->end_ldap);  // active reads as inactive from either
            }
        }
    }
    return out;
}

}  // namespace scimldap::mapping
