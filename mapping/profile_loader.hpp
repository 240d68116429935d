// Reads a mapping profile (JSON) into a validated profile; every problem with file and path.
#pragma once

#include "mapping/config_loader.hpp"
#include "mapping/profile.hpp"

#include <boost/system/result.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

using profile_result =
    boost::system::result<std::shared_ptr<const profile>, std::vector<config_error>>;

/// Parses and validates a profile from JSON text; file_label names it in errors.
profile_result parse_profile(std::string_view json_text, std::string_view file_label);

/// Reads the file, then parse_profile.
profile_result load_profile(const std::string& path);

/// Where a tenant's "profile" value points: a path (when it contains '/' or ends in ".json",
/// relative to base_dir) or a shipped profile name looked up as <dir>/<name>.json in dirs.
std::optional<std::string> find_profile_file(std::string_view name, const std::string& base_dir,
                                             const std::vector<std::string>& dirs);

}  // namespace scimldap::mapping
