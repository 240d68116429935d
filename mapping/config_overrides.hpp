// Operational settings set outside the config file: environment first, then command-line
// flags (file < environment < flags). Secrets are never accepted this way either.
#pragma once

#include "mapping/config.hpp"
#include "mapping/config_loader.hpp"

#include <boost/system/result.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// One override: a config key, its new value as text, and where it came from (for messages).
struct config_override {
    std::string key;     // listen, listen.host, listen.port, ldap.uris, ldap.bind_dn,
                         // ldap.password_file, logging.level, logging.format
    std::string value;   // "host:port" for listen; comma-separated URIs for ldap.uris
    std::string source;  // "SCIMLDAP_LISTEN", "--listen", ...
};

/// The keys apply_overrides accepts (for --help and for flag parsing).
const std::vector<std::string_view>& overridable_keys();

/// Reads SCIMLDAP_LISTEN, SCIMLDAP_LDAP_URI, SCIMLDAP_LDAP_BIND_DN, SCIMLDAP_LDAP_PASSWORD_FILE,
/// SCIMLDAP_LOG_LEVEL, SCIMLDAP_LOG_FORMAT through `getenv` (injectable for tests).
std::vector<config_override> environment_overrides(
    const std::function<const char*(const char*)>& getenv);

/// Applies overrides in order (later wins), validating each value like the file's; on any error
/// `c` is left unchanged.
boost::system::result<void, std::vector<config_error>> apply_overrides(
    config& c, const std::vector<config_override>& overrides);

}  // namespace scimldap::mapping
