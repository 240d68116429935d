// Secrets (LDAP password, TLS key) come from files, e.g. systemd credentials.
#pragma once

#include <string>
#include <string_view>

namespace scimldap::cli {

/// Replaces "${CREDENTIALS_DIRECTORY}" with that environment variable (set by systemd's
/// LoadCredential=). Throws std::runtime_error when the path uses it and it is not set.
std::string expand_credentials_path(std::string_view path);

/// The file's content without its trailing newline (CR LF or LF). Throws std::runtime_error
/// naming the file (never its content) when it cannot be read.
std::string read_secret_file(const std::string& path);

}  // namespace scimldap::cli
