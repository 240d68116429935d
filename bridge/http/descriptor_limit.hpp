// Makes room in the process's descriptor limit for the connection cap.
#pragma once

#include <cstddef>

namespace scimldap::http {

/// Raises the soft RLIMIT_NOFILE (never above the hard limit, never lowers it) so that
/// max_connections served plus as many being answered 503 fit, with room for the LDAP pool,
/// logs and the listener. systemd starts services with a soft limit of 1,024, which the default
/// cap alone would exhaust. Logs a warning when the hard limit is too low.
void ensure_descriptors_for(std::size_t max_connections);

}  // namespace scimldap::http
