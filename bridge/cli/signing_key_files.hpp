// The OAuth signing keys' and the cursor key's secrets, read from their key files once the
// config has loaded.
#pragma once

#include "mapping/config.hpp"
#include "mapping/config_loader.hpp"

#include <string>
#include <vector>

namespace scimldap::cli {

/// Reads every oauth.signing_keys[i].key_file and scim.cursor_key_file (which may use
/// ${CREDENTIALS_DIRECTORY}) into its secret. Each problem is an error at that key's JSON path in
/// config_file, like a load error: an unreadable file, or a key shorter than 32 bytes. Empty when
/// all were read.
std::vector<mapping::config_error> read_signing_keys(mapping::config& config,
                                                     const std::string& config_file);

}  // namespace scimldap::cli
