// The real daemon holds 1,000 idle keep-alive connections (issue 13, point 5) within a bounded
// memory, and gives every descriptor back when they close. Memory and descriptors are read from
// /proc, not timed.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_process.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

constexpr std::size_t idle_connections = 1000;
constexpr std::size_t rss_limit_kib = 100 * 1024;

// A /proc/<pid>/status field in KiB (VmRSS, VmHWM).
std::size_t status_kib(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with(field + ":")) {
            return std::stoul(line.substr(field.size() + 1));
        }
    }
    return 0;
}

std::size_t open_descriptors(pid_t pid) {
    const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(fds), fs::directory_iterator()));
}

// The count once connections that were closing (the readiness probes') are gone.
std::size_t settled_descriptors(pid_t pid) {
    std::size_t last = open_descriptors(pid);
    for (int i = 0; i < 100; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const std::size_t now = open_descriptors(pid);
        if (now == last) {
            return now;
        }
        last = now;
    }
    return last;
}

class ServerIdleConnections : public ::testing::Test {
protected:
    void SetUp() override {
        // This process holds the clients' ends (the bridge raises its own limit for its cap).
        rlimit limit{};
        ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
        limit.rlim_cur = limit.rlim_max;
        ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
        ASSERT_GT(limit.rlim_cur, idle_connections + 100) << "the hard descriptor limit is too low";
        slapd_.start();
        dir_ = (fs::path(temp_root()) / ("scimldap-idle-" + std::to_string(::getpid()))).string();
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        bridge_ = std::make_unique<bridge_process>(SCIMLDAP_BRIDGE_BINARY, dir_);
        bridge_->write_config(
            bridge_config_json(slapd_.uri(), slapd_.service_password_file(), bridge_options{}));
        bridge_->start();
    }
    void TearDown() override {
        bridge_.reset();
        fs::remove_all(dir_);
    }

    slapd_launcher slapd_;
    std::string dir_;
    std::unique_ptr<bridge_process> bridge_;
};

TEST_F(ServerIdleConnections, ThousandIdleKeepAliveConnectionsFitIn100MBAndGiveTheirFdsBack) {
    const pid_t pid = bridge_->pid();
    // One lookup first, so the LDAP pool and the caches are as they are in service.
    ASSERT_EQ(
        bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1", bridge_fixture::default_token)
            .status,
        200u);
    const std::size_t fds_before = settled_descriptors(pid);
    const std::size_t rss_before = status_kib(pid, "VmRSS");

    // Each connection makes one authenticated request and keeps the connection open: an IdP's
    // keep-alive connection between two rounds of provisioning.
    const std::string lookup =
        "GET /scim/v2/Users?count=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        std::string(bridge_fixture::default_token) + "\r\n\r\n";
    std::vector<std::unique_ptr<raw_client>> held;
    for (std::size_t i = 0; i < idle_connections; ++i) {
        held.push_back(std::make_unique<raw_client>(bridge_->port()));
        held.back()->send(lookup);
        const std::string answer = held.back()->read_response();
        ASSERT_TRUE(answer.starts_with("HTTP/1.1 200 ")) << "connection " << i << ": " << answer;
    }
    const std::size_t rss_held = status_kib(pid, "VmRSS");
    const std::size_t fds_held = open_descriptors(pid);
    std::cout << "bridge RSS: " << rss_before << " KiB before, " << rss_held << " KiB with "
              << idle_connections << " idle keep-alive connections (peak "
              << status_kib(pid, "VmHWM") << " KiB); descriptors " << fds_before << " -> "
              << fds_held << '\n';
#ifndef SCIMLDAP_SANITIZED
    // ASan's shadow memory and quarantine make RSS say nothing about the bridge's own use.
    EXPECT_LE(rss_held, rss_limit_kib);
#endif
    EXPECT_EQ(fds_held, fds_before + idle_connections);

    held.clear();
    EXPECT_TRUE(eventually([&] { return open_descriptors(pid) <= fds_before; }))
        << open_descriptors(pid) << " descriptors open, " << fds_before << " before";
}

}  // namespace
}  // namespace scimldap::testing
