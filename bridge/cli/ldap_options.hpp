// The LDAP client's options from the config's ldap section (shared by serve and check --live).
#pragma once

#include "bridge/ldap/ldap_client.hpp"
#include "mapping/config.hpp"

namespace scimldap::cli {

/// Reads the password file (after ${CREDENTIALS_DIRECTORY} expansion); throws
/// std::runtime_error naming the file when it cannot be read or others may read it.
ldap::client_options client_options_from(const mapping::ldap_settings& settings);

}  // namespace scimldap::cli
