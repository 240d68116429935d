// Secrets (LDAP password, TLS key) come from files, e.g. systemd credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::cli {

/// Replaces "${CREDENTIALS_DIRECTORY}" with that environment variable (set by systemd's
/// LoadCredential=). Throws std::runtime_error when the path uses it and it is not set.
std::string expand_credentials_path(std::string_view path);

/// The file's content without its trailing newline (CR LF or LF). Throws std::runtime_error
/// naming the file (never its content) when it cannot be read.
std::string read_secret_file(const std::string& path);

/// Why a secret file (a password, a private key) must not be used: it is readable or writable
/// by group or others (mode & 077), or it cannot be examined. nullopt when it is private. The
/// reason names the file and the fix, never the content. Files systemd's LoadCredential= puts
/// in $CREDENTIALS_DIRECTORY are 0400 and pass.
std::optional<std::string> check_private_file(const std::string& path);

/// check_private_file, then read_secret_file. Throws std::runtime_error with the reason.
std::string read_private_file(const std::string& path);

}  // namespace scimldap::cli
