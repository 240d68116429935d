// The slapd.conf of the throwaway slapd: schema, database, indexes, overlays and ACLs.
#pragma once

#include <string>
#include <vector>

namespace scimldap::testing {

/// What varies between throwaway instances; everything else is fixed by the project.
struct slapd_config_params {
    std::string dir;       // instance dir: the database lives in dir/db
    std::string ldif_dir;  // the project's ldif/ (scim-bridge.schema)
    bool with_sssvlv = true;
};

/// The DNs of the OUs the bridge's service account may write below (both tenants).
std::vector<std::string> bridge_writable_ous();

/// The text of slapd.conf for params.
std::string slapd_config(const slapd_config_params& params);

}  // namespace scimldap::testing
