// The subcommands; each returns the process exit status (0 ok, 1 config/runtime error, 2 usage).
#pragma once

#include "bridge/cli/command_line.hpp"

#include <chrono>
#include <iosfwd>

namespace scimldap::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;
inline constexpr int exit_usage = 2;

int run_serve(const command_line& cl);
int run_check(const command_line& cl, std::ostream& out, std::ostream& err);
int run_explain(const command_line& cl, std::istream& in, std::ostream& out, std::ostream& err);
int run_hash_token(const command_line& cl, std::istream& in, std::ostream& out, std::ostream& err);
/// token new / new-client / list; now dates the token's expiry and tells expired ones apart.
int run_token(const command_line& cl, std::ostream& out, std::ostream& err,
              std::chrono::system_clock::time_point now);

/// Parses argv and runs the subcommand.
int run(int argc, char** argv);

}  // namespace scimldap::cli
