// systemd readiness notification (sd_notify protocol) without libsystemd.
#pragma once

#include <string_view>

namespace scimldap::cli {

/// Sends state (e.g. "READY=1", "STOPPING=1") to $NOTIFY_SOCKET. Returns false when not run
/// under a notify-type service or when sending failed; never throws.
bool sd_notify(std::string_view state) noexcept;

}  // namespace scimldap::cli
