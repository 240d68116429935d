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
    bool with_refint = false;  // slapd's refint on member and manager, as directories often run
    std::vector<std::string> extra_tenants;  // tenant entry DNs besides the two seeded ones
    std::string tls_cert_file;               // non-empty: slapd serves TLS (ldaps, StartTLS)
    std::string tls_key_file;
    std::string tls_ca_file;
    bool tls_client_certificates = false;  // TLSVerifyClient try + authz-regexp for EXTERNAL
};

/// The DNs of the OUs the bridge's service account may write below: the two seeded tenants'
/// and those of extra_tenants (People, Groups, Roles, Archive under each tenant entry).
std::vector<std::string> bridge_writable_ous(const std::vector<std::string>& extra_tenants = {});

/// The text of slapd.conf for params.
std::string slapd_config(const slapd_config_params& params);

}  // namespace scimldap::testing
