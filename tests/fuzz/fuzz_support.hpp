// What the fuzz targets share: a check that aborts (so libFuzzer and the replay report it) and
// the shipped profiles, loaded once.
#pragma once

#include "base/escape.hpp"
#include "base/ldap_types.hpp"
#include "mapping/profile.hpp"
#include "mapping/profile_loader.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_json.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::fuzz {

/// Logging off: millions of inputs would otherwise print millions of warnings.
inline const bool quiet_logging = (spdlog::set_level(spdlog::level::off), true);

/// An invariant of the code under test: a violation is a finding, like a crash.
inline void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

/// A shipped profile (mapping/profiles/<name>.json) from the source tree.
inline std::shared_ptr<const mapping::profile> shipped_profile(std::string_view name) {
    auto r = mapping::load_profile(std::string(SCIMLDAP_SOURCE_DIR) + "/mapping/profiles/" +
                                   std::string(name) + ".json");
    require(r.has_value());  // a shipped profile that does not load is a broken checkout
    return *r;
}

/// Every resource type of every shipped profile: each input is tried against all of them.
inline const std::array<const mapping::resource_profile*, 4>& shipped_resources() {
    static const auto standard = shipped_profile("openldap-inetorgperson");
    static const auto classlark = shipped_profile("classlark");
    static const std::array<const mapping::resource_profile*, 4> all{
        &standard->user, &standard->group, &classlark->user, &classlark->group};
    return all;
}

/// The input as JSON, or nullopt (parse errors are the JSON parser's business, not ours).
inline std::optional<boost::json::value> parse_json(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec) {
        return std::nullopt;
    }
    return v;
}

/// The entry a create of `desired` would leave (what the fake directory of the HTTP target
/// stores): the RDN under a fixed base, every value the body gave, the id attribute.
inline ldap::entry entry_of(const mapping::resource_profile& resource,
                            const mapping::desired_entry& desired, const std::string& id) {
    ldap::entry e;
    e.name = ldap::make_child_dn(resource.rdn_attribute, desired.rdn_value,
                                 ldap::dn("ou=fuzz,dc=example,dc=org"));
    e.attributes.push_back({"objectClass", resource.object_classes});
    for (const auto& a : desired.attributes) {
        if (!a.values.empty()) {
            e.attributes.push_back(a);
        }
    }
    e.attributes.push_back({resource.id_attribute, {id}});
    return e;
}

/// An entry as a resource through both readers (the JSON text writer and the DOM reader), with
/// no references resolved. The text must be JSON when the entry's values are UTF-8: bytes that
/// are not pass through (json_text.hpp), and slapd's Directory String syntax never holds them.
inline boost::json::object render(const mapping::resource_profile& resource,
                                  const ldap::entry& entry, bool values_are_utf8 = true) {
    const auto fields = mapping::projection::everything();
    const mapping::reference_resolver none = [](const ldap::dn&) {
        return static_cast<const mapping::resolved_reference*>(nullptr);
    };
    const mapping::read_context context{fields, "https://bridge.example.org/scim/v2", none};
    std::string text;
    mapping::append_resource_json(text, resource, entry, context);
    require(!values_are_utf8 || parse_json(text).has_value());
    return mapping::to_resource(resource, entry, context);
}

}  // namespace scimldap::fuzz
