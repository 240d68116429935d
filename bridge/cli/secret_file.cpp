#include "bridge/cli/secret_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <spdlog/fmt/fmt.h>

namespace scimldap::cli {

std::string expand_credentials_path(std::string_view path) {
    constexpr std::string_view variable = "${CREDENTIALS_DIRECTORY}";
    const std::size_t at = path.find(variable);
    if (at == std::string_view::npos) {
        return std::string(path);
    }
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr || *dir == '\0') {
        throw std::runtime_error(std::string(path) +
                                 ": CREDENTIALS_DIRECTORY is not set (run under systemd with "
                                 "LoadCredential=, or give a plain path)");
    }
    std::string out(path.substr(0, at));
    out += dir;
    out += path.substr(at + variable.size());
    return out;
}

std::string read_secret_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    }
    std::ostringstream content;
    content << in.rdbuf();
    std::string secret = content.str();
    if (!secret.empty() && secret.back() == '\n') {
        secret.pop_back();
        if (!secret.empty() && secret.back() == '\r') {
            secret.pop_back();
        }
    }
    return secret;
}

std::optional<std::string> check_private_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return "cannot read " + path + ": " + std::strerror(errno);
    }
    // A secret that another account can read has leaked already; one it can write lets it
    // choose what the bridge binds or serves with. Refuse both rather than warn.
    constexpr mode_t group_and_others = S_IRWXG | S_IRWXO;
    if ((info.st_mode & group_and_others) == 0) {
        return std::nullopt;
    }
    return fmt::format(
        "{} is accessible by group or others (mode {:04o}): a secret must be readable only by "
        "the service's user; run `chmod 600 {}` (or load it with systemd's LoadCredential=)",
        path, info.st_mode & 07777, path);
}

std::string read_private_file(const std::string& path) {
    if (const auto refusal = check_private_file(path)) {
        throw std::runtime_error(*refusal);
    }
    return read_secret_file(path);
}

}  // namespace scimldap::cli
