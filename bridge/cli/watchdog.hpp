// systemd's service watchdog (sd_watchdog_enabled(3) without libsystemd): whether the manager
// asked for keep-alive pings, and how often.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>

namespace scimldap::cli {

/// The watchdog interval from $WATCHDOG_USEC (and $WATCHDOG_PID, which must be absent or name
/// this process); nullopt when no watchdog is asked for or the values are not valid.
std::optional<std::chrono::microseconds> watchdog_interval(const char* usec, const char* pid,
                                                           pid_t self);

}  // namespace scimldap::cli
