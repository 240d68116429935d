// Process-wide logging: level and format (text or JSON lines) from config.logging.
#pragma once

#include "mapping/config.hpp"

namespace scimldap::cli {

/// Installs the default logger and the access logger on stderr (journald keeps it under systemd).
void setup_logging(const mapping::logging_settings& settings);

/// Changes the level of the default and the access logger (a reload); thread-safe: a logger's
/// level is atomic, while replacing a logger (another format) is not, so the format needs a
/// restart.
void set_log_level(const std::string& level);

}  // namespace scimldap::cli
