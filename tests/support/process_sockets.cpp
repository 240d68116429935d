#include "tests/support/listening_socket.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>

namespace scimldap::testing {
namespace {

constexpr const char* tcp_state_listen = "0A";  // include/net/tcp_states.h: TCP_LISTEN

// Socket inodes listening on port, from /proc/net/tcp or tcp6 ("ADDR:PORT" in hex).
void add_listening_inodes(const std::string& table, std::uint16_t port,
                          std::set<std::string>& inodes) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
            timeout >> inode;
        const std::size_t colon = local.rfind(':');
        if (state != tcp_state_listen || colon == std::string::npos) {
            continue;
        }
        if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) {
            inodes.insert(inode);
        }
    }
}

}  // namespace

bool process_listens_on(pid_t pid, std::uint16_t port) {
    std::set<std::string> inodes;
    add_listening_inodes("/proc/net/tcp", port, inodes);
    add_listening_inodes("/proc/net/tcp6", port, inodes);
    if (inodes.empty()) {
        return false;
    }
    // The process may open, close or exit meanwhile: every step takes an error code.
    std::error_code ec;
    const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
    for (std::filesystem::directory_iterator it(fds, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code link_ec;
        const std::string target = std::filesystem::read_symlink(it->path(), link_ec).string();
        // "socket:[12345]"
        if (!link_ec && target.starts_with("socket:[") &&
            inodes.count(target.substr(8, target.size() - 9)) != 0) {
            return true;
        }
    }
    return false;
}

}  // namespace scimldap::testing
