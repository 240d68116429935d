// "Did you mean": the closest known name to a misspelt key, for config and profile messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// The candidate closest to `word` (ignoring case and `_`), when it is close enough to be a
/// likely typo; nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

/// " (did you mean \"x\"?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace scimldap::mapping
