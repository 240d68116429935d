// Entry point: parses the command line and runs one subcommand (bridge/cli).
#include "bridge/cli/commands.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    try {
        return scimldap::cli::run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "scim-ldap-bridge: " << e.what() << '\n';
        return scimldap::cli::exit_error;
    }
}
