#include "bridge/cli/secret_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

}  // namespace scimldap::cli
