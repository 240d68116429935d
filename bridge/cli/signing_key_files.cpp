#include "bridge/cli/signing_key_files.hpp"

#include "bridge/auth/access_token.hpp"
#include "bridge/cli/secret_file.hpp"

#include <stdexcept>

namespace scimldap::cli {

std::vector<mapping::config_error> read_signing_keys(mapping::config& config,
                                                     const std::string& config_file) {
    std::vector<mapping::config_error> errors;
    if (!config.oauth) {
        return errors;
    }
    auto& keys = config.oauth->signing_keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string path = "oauth.signing_keys[" + std::to_string(i) + "].key_file";
        try {
            keys[i].secret = read_private_file(expand_credentials_path(keys[i].key_file));
        } catch (const std::runtime_error& e) {
            errors.push_back({config_file, path, e.what()});
            continue;
        }
        if (keys[i].secret.size() < auth::min_signing_key_bytes) {
            // The length only: the key itself is never shown.
            errors.push_back({config_file, path,
                              keys[i].key_file + " holds " + std::to_string(keys[i].secret.size()) +
                                  " bytes; a signing key needs at least 32 (HS256, RFC 7518 "
                                  "§3.2): make one with `openssl rand -base64 48 > FILE`"});
            keys[i].secret.clear();
        }
    }
    return errors;
}

}  // namespace scimldap::cli
