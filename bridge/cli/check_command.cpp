#include "bridge/cli/commands.hpp"
#include "bridge/cli/ldap_options.hpp"
#include "bridge/cli/live_subschema.hpp"
#include "bridge/cli/logging_setup.hpp"
#include "bridge/cli/signing_key_files.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/config_overrides.hpp"
#include "mapping/profile.hpp"
#include "mapping/subschema_check.hpp"

#include <cstdlib>
#include <ostream>
#include <stdexcept>

namespace scimldap::cli {

namespace {

void print(const std::vector<mapping::config_error>& errors, std::ostream& err) {
    for (const mapping::config_error& e : errors) {
        err << e.to_string() << '\n';
    }
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// Every profile a tenant uses, once, against the schema the configured server publishes.
int check_live(const mapping::config& config, std::ostream& out, std::ostream& err) {
    // The client logs to stderr; only its warnings (bind refused, cannot connect) matter here.
    setup_logging({"warn", "text"});
    ldap::client_options options;
    try {
        options = client_options_from(config.ldap);
    } catch (const std::runtime_error& e) {
        err << "ldap.password_file: " << e.what() << '\n';
        return exit_error;
    }
    const auto schema = fetch_subschema(options);
    if (!schema) {
        err << joined(config.ldap.uris)
            << ": cannot read the subschema: " << schema.error().code.message()
            << (schema.error().diagnostic.empty() ? "" : " (" + schema.error().diagnostic + ")")
            << '\n';
        return exit_error;
    }
    std::vector<mapping::config_error> findings;
    std::vector<std::string> checked;
    for (const auto& [name, profile] : config.profiles) {
        const auto found = mapping::check_against_subschema(*profile, *schema);
        findings.insert(findings.end(), found.begin(), found.end());
        checked.push_back(name);
    }
    if (!findings.empty()) {
        print(findings, err);
        return exit_error;
    }
    out << "schema OK: profiles " << joined(checked) << " match the subschema of "
        << joined(config.ldap.uris) << '\n';
    return exit_ok;
}

}  // namespace

int run_check(const command_line& cl, std::ostream& out, std::ostream& err) {
    auto loaded = mapping::load_config(cl.config_file, mapping::default_profile_dirs());
    if (!loaded) {
        print(loaded.error(), err);
        return exit_error;
    }
    if (cl.live) {
        // The live check talks to the server `serve` would use: the file plus SCIMLDAP_*.
        const auto overrides =
            mapping::environment_overrides([](const char* name) { return std::getenv(name); });
        if (auto applied = mapping::apply_overrides(*loaded, overrides); !applied) {
            print(applied.error(), err);
            return exit_error;
        }
    }
    if (const auto errors = read_signing_keys(*loaded, cl.config_file); !errors.empty()) {
        print(errors, err);
        return exit_error;
    }
    out << "config OK: " << loaded->tenants.size() << " tenants, " << loaded->tokens.size()
        << " tokens";
    if (loaded->oauth) {
        out << ", " << loaded->oauth->clients.size() << " OAuth clients";
    }
    out << '\n';
    return cl.live ? check_live(*loaded, out, err) : exit_ok;
}

}  // namespace scimldap::cli
