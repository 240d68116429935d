// The slapd.conf of the throwaway slapd: schema, database, indexes, overlays and ACLs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {

/// What varies between throwaway instances; everything else is fixed by the project.
/// syncrepl (RFC 4533) between throwaway instances: a provider of a multi-provider pair, or a
/// read-only consumer (docs/scale-out.md).
struct slapd_replication {
    int server_id = 1;  // serverID, unique among the instances (1..4095)
    std::vector<std::string>
        providers;          // ldap:// URIs this instance pulls from (refreshAndPersist)
    bool consumer = false;  // read-only: writes get a referral to providers.front()
};

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
    std::optional<slapd_replication> replication;  // set: syncprov, and syncrepl to providers
};

/// The DNs of the OUs the bridge's service account may write below: the two seeded tenants'
/// and those of extra_tenants (People, Groups, Roles, Archive under each tenant entry).
std::vector<std::string> bridge_writable_ous(const std::vector<std::string>& extra_tenants = {});

/// The text of slapd.conf for params.
std::string slapd_config(const slapd_config_params& params);

}  // namespace scimldap::testing
