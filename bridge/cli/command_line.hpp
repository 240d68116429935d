// The command line: which subcommand and its options. Parsing only; nothing is run here.
#pragma once

#include "mapping/config_overrides.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::cli {

enum class command_kind {
    serve,
    hash_token,
    token_new,
    token_new_client,
    token_list,
    check,
    explain,
    version,
    help
};

/// A parsed command line. A new flag is one row in command_line.cpp's table plus a field here.
struct command_line {
    command_kind command = command_kind::help;
    std::string config_file;                          // serve, check, token list: --config FILE
    bool live = false;                                // check --live: compare with the server
    std::vector<mapping::config_override> overrides;  // serve: --listen, --ldap-uri (repeated)
    std::optional<std::string> token;                 // hash-token TOKEN
    std::optional<std::string> token_file;            // hash-token --file PATH
    std::string tenant;  // explain --tenant T (default: the first); token new[-client] --tenant
    std::optional<std::string> label;  // token new[-client] --name LABEL: the name in logs
    std::optional<std::chrono::milliseconds> expires;  // token new --expires 90d
    std::optional<std::string> client_id;              // token new-client --client-id ID
    std::string resource = "User";                     // explain --resource User|Group
    bool reverse = false;                              // explain --reverse: LDIF in, SCIM out
    bool search = false;  // explain --search: SearchRequest in, LDAP searches out
};

/// A command line that cannot be run: what is wrong (the caller prints usage and exits 2).
struct usage_error {
    std::string message;
};

[[noreturn]] void throw_exception_from_error(const usage_error& e,
                                             const boost::source_location& loc);

/// args excludes the program name.
boost::system::result<command_line, usage_error> parse_command_line(
    const std::vector<std::string_view>& args);

/// The --help text.
std::string usage_text();

}  // namespace scimldap::cli
