// Starting the OpenLDAP programs the test support runs (slapd, slapadd, ldapmodify) as children.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace scimldap::testing {

/// $TMPDIR, or /tmp when unset.
std::string temp_root();

/// A new empty file under temp_root() named stem-XXXXXX; returns its path.
std::string make_temp_file(const std::string& stem);

/// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

/// Writes a secret (key, password) readable only by its owner (0600), as the bridge demands.
void write_private_file(const std::string& path, const std::string& content);

/// Starts argv[0] (an absolute path) with stdin from /dev/null and stdout+stderr appended to
/// output_path; the child gets SIGTERM if this process dies. Returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& output_path);

/// spawn() and wait: the exit status (128 + signal number if it was killed).
int run(const std::vector<std::string>& argv, const std::string& output_path);

/// Waits up to timeout for pid to exit and reaps it: true when it did.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout, int* status = nullptr);

}  // namespace scimldap::testing
