#include "bridge/cli/ldap_options.hpp"

#include "bridge/cli/secret_file.hpp"

namespace scimldap::cli {

ldap::client_options client_options_from(const mapping::ldap_settings& s) {
    ldap::client_options o;
    o.uris = s.uris;
    o.read_uris = s.read_uris;
    o.bind_dn = s.bind_dn;
    if (!s.password_file.empty()) {
        o.password = read_private_file(expand_credentials_path(s.password_file));
    }
    o.sasl_external = s.sasl_external;
    o.pool_size = s.pool_size;
    o.max_pending_reads = s.max_pending_reads;
    o.max_pending_writes = s.max_pending_writes;
    o.operation_timeout = s.operation_timeout;
    o.connect_timeout = s.connect_timeout;
    o.reconnect_backoff_min = s.reconnect_backoff_min;
    o.reconnect_backoff_max = s.reconnect_backoff_max;
    o.probe_interval = s.probe_interval;
    o.failback_after = s.failback_after;
    o.confirm_writes = s.confirm_writes;
    o.tls = s.tls;
    o.tls.ca_file = expand_credentials_path(s.tls.ca_file);
    o.tls.cert_file = expand_credentials_path(s.tls.cert_file);
    o.tls.key_file = expand_credentials_path(s.tls.key_file);
    return o;
}

}  // namespace scimldap::cli
