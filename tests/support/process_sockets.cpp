#include "tests/support/process_sockets.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace scimldap::testing {
namespace {

// include/net/tcp_states.h
constexpr const char* tcp_state_established = "01";
constexpr const char* tcp_state_listen = "0A";

struct tcp_row {
    std::uint16_t local_port;
    std::uint16_t remote_port;
    std::string state;
};

std::uint16_t port_of(const std::string& address) {  // "ADDR:PORT" in hex
    const std::size_t colon = address.rfind(':');
    return colon == std::string::npos
               ? 0
               : static_cast<std::uint16_t>(std::stoul(address.substr(colon + 1), nullptr, 16));
}

// Every socket of /proc/net/tcp and tcp6 by inode.
std::map<std::string, tcp_row> tcp_sockets() {
    std::map<std::string, tcp_row> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
                timeout >> inode;
            out[inode] = {port_of(local), port_of(remote), state};
        }
    }
    return out;
}

// The socket inodes among pid's descriptors ("socket:[12345]").
std::set<std::string> socket_inodes_of(pid_t pid) {
    std::set<std::string> inodes;
    // The process may open, close or exit meanwhile: every step takes an error code.
    std::error_code ec;
    const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
    for (std::filesystem::directory_iterator it(fds, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code link_ec;
        const std::string target = std::filesystem::read_symlink(it->path(), link_ec).string();
        if (!link_ec && target.starts_with("socket:[")) {
            inodes.insert(target.substr(8, target.size() - 9));
        }
    }
    return inodes;
}

}  // namespace

bool process_listens_on(pid_t pid, std::uint16_t port) {
    const auto sockets = tcp_sockets();
    for (const std::string& inode : socket_inodes_of(pid)) {
        const auto it = sockets.find(inode);
        if (it != sockets.end() && it->second.state == tcp_state_listen &&
            it->second.local_port == port) {
            return true;
        }
    }
    return false;
}

std::set<std::uint16_t> process_connections_to(pid_t pid, std::uint16_t remote_port) {
    const auto sockets = tcp_sockets();
    std::set<std::uint16_t> ports;
    for (const std::string& inode : socket_inodes_of(pid)) {
        const auto it = sockets.find(inode);
        if (it != sockets.end() && it->second.state == tcp_state_established &&
            it->second.remote_port == remote_port) {
            ports.insert(it->second.local_port);
        }
    }
    return ports;
}

std::uint16_t pick_free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
        const int error = errno;
        close(fd);
        throw std::system_error(error, std::generic_category(), "bind 127.0.0.1:0");
    }
    close(fd);
    return ntohs(address.sin_port);
}

}  // namespace scimldap::testing
