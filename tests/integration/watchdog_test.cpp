// The systemd watchdog and STATUS= lines (issue 15): pings while the event loop turns, none while
// it is wedged, and a status that says whether the directory is reachable and why not.
#include "bridge/cli/service.hpp"
#include "mapping/config_loader.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace scimldap::testing {
namespace {

using namespace std::chrono_literals;

/// A service as serve_command runs it under systemd, its notifications recorded.
class Watchdog : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = new slapd_launcher();
        slapd_->start();
    }
    static void TearDownTestSuite() {
        delete slapd_;
        slapd_ = nullptr;
    }

    std::unique_ptr<cli::service> make_service(const std::string& ldap_uri) {
        const std::string file = slapd_->dir() + "/watchdog-config.json";
        std::ofstream(file) << bridge_config_json(ldap_uri, slapd_->service_password_file());
        auto loaded = mapping::load_config(file, mapping::default_profile_dirs());
        EXPECT_TRUE(loaded);
        loaded->listen.port = 0;
        return std::make_unique<cli::service>(std::move(*loaded), [this](std::string_view state) {
            const std::lock_guard lock(mutex_);
            notified_.emplace_back(state);
        });
    }

    std::size_t count(std::string_view state) {
        const std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(std::count(notified_.begin(), notified_.end(), state));
    }

    bool saw_prefix(std::string_view prefix) {
        const std::lock_guard lock(mutex_);
        return std::any_of(notified_.begin(), notified_.end(),
                           [&](const std::string& s) { return s.starts_with(prefix); });
    }

    static inline slapd_launcher* slapd_ = nullptr;
    std::mutex mutex_;
    std::vector<std::string> notified_;
};

TEST_F(Watchdog, PingsWhileTheLoopTurnsAndStopsWhenItIsWedged) {
    auto svc = make_service(slapd_->uri());
    svc->watch(100ms);
    svc->start();
    ASSERT_TRUE(eventually([&] { return count("WATCHDOG=1") >= 3; }));

    // Wedge the first IO thread (where the pings come from) until released.
    std::promise<void> release;
    std::atomic<bool> wedged{false};
    boost::asio::post(svc->io(), [&wedged, gate = release.get_future().share()] {
        wedged = true;
        gate.wait();
    });
    ASSERT_TRUE(eventually([&] { return wedged.load(); }));
    std::this_thread::sleep_for(150ms);  // a ping already on its way may still land
    const auto while_wedged = count("WATCHDOG=1");
    std::this_thread::sleep_for(500ms);  // five intervals without a ping
    EXPECT_EQ(count("WATCHDOG=1"), while_wedged);

    release.set_value();
    EXPECT_TRUE(eventually([&] { return count("WATCHDOG=1") >= while_wedged + 2; }));
    svc->request_shutdown();
    svc->wait();
}

TEST_F(Watchdog, StatusSaysServingOnceTheDirectoryAnswers) {
    auto svc = make_service(slapd_->uri());
    svc->start();
    EXPECT_TRUE(eventually([&] { return saw_prefix("STATUS=Serving on port "); }));
    EXPECT_EQ(count("WATCHDOG=1"), 0u) << "no watchdog was asked for";
    svc->request_shutdown();
    svc->wait();
}

TEST_F(Watchdog, StatusNamesWhyTheDirectoryIsNotReachable) {
    auto svc = make_service("ldap://127.0.0.1:1");  // nothing listens there
    svc->start();
    EXPECT_TRUE(eventually([&] {
        return saw_prefix("STATUS=Waiting for the LDAP directory: ") &&
               saw_prefix("STATUS=Waiting for the LDAP directory: cannot connect");
    }));
    svc->request_shutdown();
    svc->wait();
}

}  // namespace
}  // namespace scimldap::testing
