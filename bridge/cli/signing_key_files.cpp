#include "bridge/cli/signing_key_files.hpp"

#include "bridge/auth/access_token.hpp"
#include "bridge/cli/secret_file.hpp"

#include <stdexcept>

namespace scimldap::cli {

namespace {

/// Reads one HMAC-SHA256 key file into `secret`; a problem is an error at `path`.
void read_key_file(const std::string& key_file, std::string& secret, const std::string& path,
                   const std::string& config_file, std::vector<mapping::config_error>& errors) {
    try {
        secret = read_private_file(expand_credentials_path(key_file));
    } catch (const std::runtime_error& e) {
        errors.push_back({config_file, path, e.what()});
        return;
    }
    if (secret.size() < auth::min_signing_key_bytes) {
        // The length only: the key itself is never shown.
        errors.push_back({config_file, path,
                          key_file + " holds " + std::to_string(secret.size()) +
                              " bytes; a signing key needs at least 32 (HS256, RFC 7518 "
                              "§3.2): make one with `openssl rand -base64 48 > FILE`"});
        secret.clear();
    }
}

}  // namespace

std::vector<mapping::config_error> read_signing_keys(mapping::config& config,
                                                     const std::string& config_file) {
    std::vector<mapping::config_error> errors;
    if (!config.scim.cursor_key_file.empty()) {
        read_key_file(config.scim.cursor_key_file, config.scim.cursor_key, "scim.cursor_key_file",
                      config_file, errors);
    }
    if (!config.oauth) {
        return errors;
    }
    auto& keys = config.oauth->signing_keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        read_key_file(keys[i].key_file, keys[i].secret,
                      "oauth.signing_keys[" + std::to_string(i) + "].key_file", config_file,
                      errors);
    }
    return errors;
}

}  // namespace scimldap::cli
