#include "mapping/resource_reader.hpp"

#include "base/ascii_case.hpp"
#include "mapping/resource_json.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace scimldap::mapping {
namespace json = boost::json;
using ascii::iequals;

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

bool has_end_mark(const active_settings& settings, const ldap::entry& entry) {
    if (settings.how != active_settings::strategy::ppolicy_lock || settings.end_ldap.empty()) {
        return false;
    }
    const auto* values = entry.find(settings.end_ldap);
    return values != nullptr && std::any_of(values->begin(), values->end(), [&](const auto& v) {
               return iequals(v, settings.end_value);
           });
}

bool is_active(const active_settings& settings, const ldap::entry& entry) {
    const auto value = entry.first(settings.ldap);
    if (settings.how == active_settings::strategy::ppolicy_lock) {
        // Any lock time, administrative (000001010000Z) or set by an admin, means locked. An end
        // time is the bridge's mark only when it is its own value: an admin's expiry is theirs.
        return !value.has_value() && !has_end_mark(settings, entry);
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
    std::string text;
    append_resource_json(text, resource, entry, c);
    // Directory values pass through byte for byte (as they go out in responses), so a value that
    // is not UTF-8 must not make the parse fail.
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec, c.storage, options);
    if (ec || !parsed.is_object()) {
        return json::object(c.storage);  // not reached: the text is the writer's own JSON
    }
    return std::move(parsed.get_object());
}

}  // namespace scimldap::mapping
