// Instants as RFC 3339 text ("2027-03-06T14:50:19Z"): token expiry in the config and the CLI.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// An instant to the second, as the system clock counts it (UTC).
using utc_seconds = std::chrono::sys_seconds;

/// RFC 3339 §5.6 date-time with any offset ("Z", "+02:00"); a fraction of a second is dropped.
/// nullopt for anything else, including a date that does not exist (2027-02-30).
std::optional<utc_seconds> parse_rfc3339(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ": UTC, the form parse_rfc3339 reads back.
std::string format_rfc3339(utc_seconds t);

}  // namespace scimldap::mapping
