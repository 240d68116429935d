// What a reload may change in a running service, and what only a restart can.
#pragma once

#include "mapping/config.hpp"

#include <string>
#include <vector>

namespace scimldap::cli {

/// The key paths of settings that differ between running and next but are fixed while the
/// process runs: the listening socket (listen.host, listen.port, whether listen.tls is on), the
/// IO threads, and the log format set up at start. Each of them is set back to running's value in
/// next, so the rest of next can be applied; the caller logs them as needing a restart.
std::vector<std::string> keep_restart_only_settings(const mapping::config& running,
                                                    mapping::config& next);

}  // namespace scimldap::cli
