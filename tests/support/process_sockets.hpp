// Which TCP sockets a process holds (Linux /proc): whether the server that answers on a port is
// a launcher's own child and not a stray one, and which connections a client keeps open.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>

namespace scimldap::testing {

/// True when process pid has a TCP socket listening on port (IPv4 or IPv6, any address).
bool process_listens_on(pid_t pid, std::uint16_t port);

/// The local ports of the established TCP connections process pid holds to remote_port (IPv4 or
/// IPv6): a connection closed and opened again shows as another local port.
std::set<std::uint16_t> process_connections_to(pid_t pid, std::uint16_t remote_port);

/// A 127.0.0.1 port the kernel considers free right now; a server started on it may still lose
/// a race for it (retry then).
std::uint16_t pick_free_port();

}  // namespace scimldap::testing
