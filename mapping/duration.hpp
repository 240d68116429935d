// Durations in the config: a whole number and a unit ("250ms", "5s", "2m", "1h", "90d").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::mapping {

/// nullopt unless `text` is digits followed by exactly one of ms, s, m, h, d (no spaces, no
/// sign).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The shortest exact spelling parse_duration accepts ("1500ms", "5s", "2m").
std::string format_duration(std::chrono::milliseconds d);

}  // namespace scimldap::mapping
