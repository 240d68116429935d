#include "bridge/cli/commands.hpp"
#include "mapping/config_loader.hpp"

#include <ostream>

namespace scimldap::cli {

int run_check(const command_line& cl, std::ostream& out, std::ostream& err) {
    const auto loaded = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!loaded) {
        for (const mapping::config_error& e : loaded.error()) {
            err << e.to_string() << '\n';
        }
        return exit_error;
    }
    out << "config OK: " << loaded->tenants.size() << " tenants, " << loaded->tokens.size()
        << " tokens\n";
    return exit_ok;
}

}  // namespace scimldap::cli
