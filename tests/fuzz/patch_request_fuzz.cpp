// libFuzzer target: a PATCH body (JSON) through the request parser and the PATCH engine of every
// shipped resource type, then the patched resource through the body reader as the endpoints do
// (mapping/patch_request.hpp, mapping/patch.hpp). Errors are answers; crashes and hangs are not.
#include "mapping/patch.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/resource_writer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace {

using namespace scimldap;

// The resource as GET would show it before the PATCH: a create of a typical body, stored.
const boost::json::object& before(const mapping::resource_profile& resource) {
    static std::map<const mapping::resource_profile*, boost::json::object> cache;
    auto [it, fresh] = cache.try_emplace(&resource);
    if (fresh) {
        const auto body = fuzz::parse_json(
            resource.name == "User"
                ? R"({"userName": "bjensen", "name": {"givenName": "Barbara", "familyName": "Jensen"},
                     "displayName": "Babs", "title": "Tour Guide", "active": true,
                     "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
                     "phoneNumbers": [{"value": "555-555-8377", "type": "work"}]})"
                : R"({"displayName": "Tour Guides", "externalId": "tg-1"})");
        const auto desired = mapping::from_resource(resource, *body);
        if (desired) {
            const std::string id = "2819c223-7f76-453a-919d-413861904646";
            it->second = fuzz::render(resource, fuzz::entry_of(resource, *desired, id));
        }
    }
    return it->second;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = fuzz::parse_json({reinterpret_cast<const char*>(data), size});
    if (!body) {
        return 0;
    }
    const auto ops = mapping::parse_patch_request(*body);
    if (!ops) {
        return 0;
    }
    for (const mapping::resource_profile* resource : fuzz::shipped_resources()) {
        const auto patched = mapping::apply_patch(*resource, before(*resource), *ops);
        if (patched) {
            (void)mapping::from_resource(*resource, boost::json::value(*patched));
        }
    }
    return 0;
}
