// Which process holds a listening TCP port (Linux /proc), so a launcher knows the server that
// answers on its port is its own child and not a stray one.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace scimldap::testing {

/// True when process pid has a TCP socket listening on port (IPv4 or IPv6, any address).
bool process_listens_on(pid_t pid, std::uint16_t port);

}  // namespace scimldap::testing
