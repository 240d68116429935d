// Process-wide logging: level and format (text or JSON lines) from config.logging.
#pragma once

#include "mapping/config.hpp"

namespace scimldap::cli {

/// Installs the default logger and the access logger on stderr (journald keeps it under systemd).
void setup_logging(const mapping::logging_settings& settings);

}  // namespace scimldap::cli
