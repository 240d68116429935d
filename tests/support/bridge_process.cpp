#include "tests/support/bridge_process.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/process_sockets.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace scimldap::testing {

namespace {

using namespace std::chrono_literals;

constexpr auto ready_timeout = 20s;
constexpr auto stop_timeout = 20s;

}  // namespace

bridge_process::bridge_process(std::string binary, std::string dir, bool tls)
    : binary_(std::move(binary)), dir_(std::move(dir)), tls_(tls) {}

bridge_process::~bridge_process() {
    if (pid_ <= 0) {
        return;
    }
    ::kill(pid_, SIGTERM);
    if (!wait_for_exit(pid_, stop_timeout)) {
        ::kill(pid_, SIGKILL);
        wait_for_exit(pid_, stop_timeout);
    }
    // Into the test's output, so tests/log_scan.sh searches the daemon's log with the rest.
    std::cerr << "--- log of the bridge daemon (" << log_file() << ") ---\n"
              << log() << "--- end of the bridge daemon's log ---\n";
}

void bridge_process::write_config(const std::string& json_text) const {
    // Written whole then renamed, as an admin's editor or a deployment tool does: a reload
    // never reads half a file.
    const std::string staged = config_file() + ".new";
    std::ofstream(staged, std::ios::binary | std::ios::trunc) << json_text;
    ::chmod(staged.c_str(), 0600);
    if (::rename(staged.c_str(), config_file().c_str()) != 0) {
        throw std::runtime_error("cannot write " + config_file());
    }
}

void bridge_process::start() {
    port_ = pick_free_port();
    pid_ = spawn({binary_, "serve", "--config", config_file(), "--listen",
                  "127.0.0.1:" + std::to_string(port_)},
                 log_file());
    const bool ready = eventually(
        [this] {
            if (wait_for_exit(pid_, 0ms)) {
                return true;  // exited: reported below
            }
            try {
                return request(boost::beast::http::verb::get, "/readyz").status == 200;
            } catch (const std::exception&) {
                return false;  // not listening yet
            }
        },
        ready_timeout);
    if (!ready || wait_for_exit(pid_, 0ms)) {
        pid_ = -1;
        throw std::runtime_error("the bridge did not become ready; its log:\n" + log());
    }
}

void bridge_process::reload() const {
    ::kill(pid_, SIGHUP);
}

bool bridge_process::log_shows(const std::string& text, std::chrono::milliseconds timeout) const {
    return eventually([&] { return log().find(text) != std::string::npos; }, timeout);
}

std::string bridge_process::log() const {
    return read_file(log_file());
}

http_reply bridge_process::request(boost::beast::http::verb method, const std::string& target,
                                   const std::string& token, const std::string& body) const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) {
        headers["Authorization"] = "Bearer " + token;
    }
    if (!body.empty()) {
        headers["Content-Type"] = "application/scim+json";
    }
    return tls_ ? https_request(port_, method, target, headers, body)
                : http_request(port_, method, target, headers, body);
}

}  // namespace scimldap::testing
