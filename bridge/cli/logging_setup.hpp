// Process-wide logging: level and format (text or JSON lines) from config.logging.
#pragma once

#include "mapping/config.hpp"

#include <spdlog/logger.h>

#include <memory>

namespace scimldap::cli {

/// Installs the default logger, the access logger and the audit logger on stderr (journald
/// keeps it under systemd).
void setup_logging(const mapping::logging_settings& settings);

/// The logger audit lines go to without logging.audit.file: the one setup_logging made, or
/// (in a process that never called it, like the tests) one named "audit" on the default
/// logger's sinks.
std::shared_ptr<spdlog::logger> audit_logger();

/// Changes the level of the default and the access logger (a reload); audit lines are written at
/// any level. Thread-safe: a logger's level is atomic, while replacing a logger (another format)
/// is not, so the format needs a restart.
void set_log_level(const std::string& level);

}  // namespace scimldap::cli
