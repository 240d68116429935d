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
#include <optional>
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

// Settings that load but weaken the link to the directory: said every time `check` runs.
void warn_about_transport(const mapping::ldap_settings& ldap, std::ostream& err) {
    if (!ldap.tls.verify) {
        err << "warning: ldap.insecure_skip_verify is true: the directory's certificate is not "
               "checked, so anyone on the network path can pose as it and read the bind "
               "password and every entry\n";
    }
    if (ldap.allow_plaintext_bind) {
        err << "warning: ldap.allow_plaintext_bind is true: the bind password may cross the "
               "network in clear\n";
    }
}

// Every profile a tenant uses, once, against the schema the configured server publishes.
int check_live(const mapping::config& config, std::ostream& out, std::ostream& err) {
    // The client logs to stderr; only its warnings (bind refused, cannot connect) matter here.
    setup_logging({"warn", "text", {}});
    ldap::client_options options;
    try {
        options = client_options_from(config.ldap);
    } catch (const std::runtime_error& e) {
        err << "ldap.password_file: " << e.what() << '\n';
        return exit_error;
    }
    std::optional<live_reading> live;
    try {
        live = fetch_subschema(options);
    } catch (const std::runtime_error& e) {  // a TLS file the client cannot use
        err << e.what() << '\n';
        return exit_error;
    }
    if (live->peer) {
        out << "TLS: " << live->peer->protocol << ", server certificate subject "
            << live->peer->subject << ", issuer " << live->peer->issuer << ", expires "
            << live->peer->not_after << '\n';
    }
    const auto& schema = live->schema;
    if (!schema) {
        err << joined(config.ldap.uris)
            << ": cannot read the subschema: " << schema.error().code.message()
            << (schema.error().diagnostic.empty() ? "" : " (" + schema.error().diagnostic + ")")
            << '\n';
        if (!live->connect_failure.empty()) {
            err << "last connection attempt: " << live->connect_failure << '\n';
        }
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
    warn_about_transport(loaded->ldap, err);
    return cl.live ? check_live(*loaded, out, err) : exit_ok;
}

}  // namespace scimldap::cli
