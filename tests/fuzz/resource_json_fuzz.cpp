// libFuzzer target: a POST/PUT body (JSON) through the User/Group body reader of every shipped
// resource type (mapping/resource_writer.hpp); what it accepts is stored as an entry and read back
// through both resource readers (mapping/resource_json.hpp, mapping/resource_reader.hpp), whose
// text must be JSON and must be accepted again as a body.
#include "mapping/resource_writer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace scimldap;
    const auto body = fuzz::parse_json({reinterpret_cast<const char*>(data), size});
    if (!body) {
        return 0;
    }
    for (const mapping::resource_profile* resource : fuzz::shipped_resources()) {
        const auto desired = mapping::from_resource(*resource, *body);
        if (!desired) {
            continue;
        }
        const auto entry =
            fuzz::entry_of(*resource, *desired, "2819c223-7f76-453a-919d-413861904646");
        const boost::json::object shown = fuzz::render(*resource, entry);
        // What GET shows is a valid PUT body (IdPs send back what they read).
        fuzz::require(mapping::from_resource(*resource, boost::json::value(shown)).has_value());
    }
    return 0;
}
