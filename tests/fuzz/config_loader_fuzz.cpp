// libFuzzer target: a config file and a mapping profile as an admin may write them, through the
// loaders and their checks (mapping/config_loader.hpp, mapping/profile_loader.hpp). Every
// refusal must name a file and a message; a crash or hang at start-up or reload is a finding.
#include "mapping/config_loader.hpp"
#include "mapping/profile_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

void check_refusal(const std::vector<scimldap::mapping::config_error>& errors) {
    scimldap::fuzz::require(!errors.empty());
    for (const auto& e : errors) {
        scimldap::fuzz::require(!e.file.empty() && !e.message.empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace scimldap;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static const std::string shipped = std::string(SCIMLDAP_SOURCE_DIR) + "/mapping/profiles";
    const auto config = mapping::parse_config(text, "fuzz-config.json", shipped, {shipped});
    if (!config) {
        check_refusal(config.error());
    }
    const auto profile = mapping::parse_profile(text, "fuzz-profile.json");
    if (!profile) {
        check_refusal(profile.error());
    }
    return 0;
}
