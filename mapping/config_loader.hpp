// Reads the JSON config and the profiles it names, and validates both before use.
#pragma once

#include "mapping/config.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// Why a config or profile was refused: the JSON path of the offending key and how to fix it.
struct config_error {
    std::string file;  // the file the path is in (config or profile)
    std::string
        path;  // JSON path, e.g. "tenants[1].profile" or "resources.User.attributes[3].ldap"
    std::string message;
    std::string to_string() const;  // "FILE: PATH: MESSAGE"
};

[[noreturn]] void throw_exception_from_error(const std::vector<config_error>& e,
                                             const boost::source_location& loc);

/// Loads, validates (all errors, not just the first) and resolves profiles by name in
/// profile_dirs (then as a path relative to the config file).
boost::system::result<config, std::vector<config_error>> load_config(
    const std::string& path, const std::vector<std::string>& profile_dirs);

/// The same from a JSON text (tests, --config -).
boost::system::result<config, std::vector<config_error>> parse_config(
    std::string_view json_text, std::string_view file_label, const std::string& base_dir,
    const std::vector<std::string>& profile_dirs);

/// Where shipped profiles are searched by default: $SCIMLDAP_PROFILE_DIR, the installed data
/// dir, then the source tree's mapping/profiles.
std::vector<std::string> default_profile_dirs();

}  // namespace scimldap::mapping
