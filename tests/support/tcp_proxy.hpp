// A TCP proxy on 127.0.0.1 between the bridge and slapd that injects network faults on command.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace scimldap::testing {

/// Forwards every connection made to port() to target_host:target_port on its own thread (Asio)
/// and, on command, cuts, holds, delays or refuses them. Each command has taken effect when it
/// returns. Chunks keep their order in each direction.
class tcp_proxy {
public:
    tcp_proxy(std::string target_host, std::uint16_t target_port);
    ~tcp_proxy();
    tcp_proxy(const tcp_proxy&) = delete;
    tcp_proxy& operator=(const tcp_proxy&) = delete;

    std::uint16_t port() const;
    /// ldap://127.0.0.1:PORT, for the bridge's ldap.uris.
    std::string uri() const;

    /// Closes every connection now, both sides.
    void cut_all();
    /// The connections open now stop forwarding in both directions and stay open (a black hole:
    /// a NAT or firewall that lost the flow, a frozen peer). With new_connections_too, those
    /// accepted later are held the same way (the server stops answering altogether).
    void black_hole(bool new_connections_too = false);
    /// Forwarding again: held connections pass what they held, new ones are forwarded.
    void resume();
    /// Every chunk read from then on waits this long before it is forwarded (0: none).
    void delay(std::chrono::milliseconds per_chunk);
    /// The next server→client chunk on any connection: the first after_bytes of it are forwarded,
    /// then that connection is closed (both sides), leaving the client inside a PDU.
    void cut_next_response(std::size_t after_bytes);
    /// While true, connections are closed as soon as they are accepted.
    void refuse(bool on);

    /// Connections accepted so far (refused ones included).
    std::size_t accepted() const;
    /// Connections open now.
    std::size_t open() const;
    /// Cuts made by cut_next_response.
    std::size_t cuts() const;

private:
    class impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace scimldap::testing
