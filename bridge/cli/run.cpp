#include "bridge/cli/commands.hpp"

#include <iostream>

namespace scimldap::cli {

int run(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    const auto cl = parse_command_line(args);
    if (!cl) {
        std::cerr << "scim-ldap-bridge: " << cl.error().message << "\n\n" << usage_text();
        return exit_usage;
    }
    switch (cl->command) {
        case command_kind::help:
            std::cout << usage_text();
            return exit_ok;
        case command_kind::version:
            std::cout << "scim-ldap-bridge " << SCIMLDAP_VERSION << '\n';
            return exit_ok;
        case command_kind::check:
            return run_check(*cl, std::cout, std::cerr);
        case command_kind::explain:
            return run_explain(*cl, std::cin, std::cout, std::cerr);
        case command_kind::hash_token:
            return run_hash_token(*cl, std::cin, std::cout, std::cerr);
        case command_kind::token_new:
        case command_kind::token_new_client:
        case command_kind::token_list:
            return run_token(*cl, std::cout, std::cerr, std::chrono::system_clock::now());
        case command_kind::serve:
            return run_serve(*cl);
    }
    return exit_usage;
}

}  // namespace scimldap::cli
