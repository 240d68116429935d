// SIGHUP reloads the real daemon's configuration: tokens, TLS certificate and LDAP settings,
// with a broken config never applied. The bridge runs as a child process against a real slapd.
#include "bridge/cli/service.hpp"
#include "bridge/scim/json_response.hpp"
#include "mapping/config_loader.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_process.hpp"
#include "tests/support/certificate_fingerprint.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/process_sockets.hpp"
#include "tests/support/slapd_launcher.hpp"
#include "tests/support/test_pki.hpp"

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* lookup = "/scim/v2/Users?filter=userName%20eq%20%22nobody%22";

class ConfigReload : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    void SetUp() override {
        dir_ = (fs::path(temp_root()) /
                ("scimldap-reload-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                   .string();
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The fixture's config (two tenants, a token each), changed by edit.
    static std::string config(const std::function<void(json::object&)>& edit = {},
                              const bridge_options& options = {}) {
        json::value root = json::parse(
            bridge_config_json(slapd_->uri(), slapd_->service_password_file(), options));
        if (edit) {
            edit(root.as_object());
        }
        return json::serialize(root);
    }

    // The daemon started on config_text in this test's dir.
    std::unique_ptr<bridge_process> start_bridge(const std::string& config_text,
                                                 bool tls = false) const {
        auto bridge = std::make_unique<bridge_process>(SCIMLDAP_BRIDGE_BINARY, dir_, tls);
        bridge->write_config(config_text);
        bridge->start();
        return bridge;
    }

    // Writes the next config and sends SIGHUP.
    static void reload_with(const bridge_process& bridge, const std::string& config_text) {
        bridge.write_config(config_text);
        bridge.reload();
    }

    static unsigned status(const bridge_process& bridge, const std::string& token) {
        return bridge.request(bhttp::verb::get, lookup, token).status;
    }

    // The bridge's connections to slapd once the whole pool is up.
    static std::set<std::uint16_t> ldap_connections(const bridge_process& bridge,
                                                    std::size_t pool) {
        std::set<std::uint16_t> ports;
        eventually([&] {
            ports = process_connections_to(bridge.pid(), slapd_->port());
            return ports.size() == pool;
        });
        return ports;
    }

    static inline std::unique_ptr<slapd_launcher> slapd_;
    std::string dir_;
};

TEST_F(ConfigReload, ATokenRemovedFromTheConfigIsRefusedRightAfterSighup) {
    const auto started = start_bridge(config());
    const bridge_process& bridge = *started;
    ASSERT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    ASSERT_EQ(status(bridge, bridge_fixture::classlark_token), 200u);

    // Revoke the default tenant's token: only classlark's stays.
    reload_with(bridge, config([](json::object& c) {
                    json::array& tokens = c["tokens"].as_array();
                    tokens.erase(tokens.begin());
                }));
    ASSERT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();

    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 401u);
    EXPECT_EQ(status(bridge, bridge_fixture::classlark_token), 200u);
    // Revocation is logged by token name only; no token text reaches the log.
    EXPECT_EQ(bridge.log().find(bridge_fixture::default_token), std::string::npos);
}

TEST_F(ConfigReload, ABrokenConfigIsNotAppliedAndItsErrorNamesTheJsonPath) {
    const auto started = start_bridge(config());
    const bridge_process& bridge = *started;

    // Had it been applied, the default token would be gone.
    reload_with(bridge, config([](json::object& c) {
                    json::array& tokens = c["tokens"].as_array();
                    tokens.erase(tokens.begin());
                    tokens[0].as_object()["sha256"] = "not-a-hash";
                }));
    ASSERT_TRUE(bridge.log_shows("still serving the previous configuration")) << bridge.log();
    EXPECT_NE(bridge.log().find(bridge.config_file() + ": tokens[0].sha256: "), std::string::npos)
        << bridge.log();

    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    EXPECT_EQ(status(bridge, bridge_fixture::classlark_token), 200u);
    EXPECT_EQ(bridge.log().find("configuration applied"), std::string::npos) << bridge.log();

    // Fixed, the next reload applies it.
    reload_with(bridge, config());
    EXPECT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();
}

TEST_F(ConfigReload, ARenewedServerCertificateIsServedToTheNextConnection) {
    // Secrets from systemd credentials: the key and the LDAP password sit in
    // $CREDENTIALS_DIRECTORY and the config names them through the variable.
    const std::string credentials = dir_ + "/credentials";
    fs::create_directories(credentials);
    ASSERT_EQ(::setenv("CREDENTIALS_DIRECTORY", credentials.c_str(), 1), 0);
    fs::copy_file(slapd_->service_password_file(), credentials + "/ldap.password");
    fs::create_directories(dir_ + "/old");
    fs::create_directories(dir_ + "/new");
    const tls_files old_files = make_self_signed_certificate(dir_ + "/old");
    const tls_files new_files = make_self_signed_certificate(dir_ + "/new");
    const std::string cert = dir_ + "/server.crt";
    const std::string key = credentials + "/tls.key";
    fs::copy_file(old_files.cert_file, cert);
    fs::copy_file(old_files.key_file, key);
    bridge_options options;
    options.tls = tls_files{cert, "${CREDENTIALS_DIRECTORY}/tls.key"};

    const auto started = start_bridge(config(
                                          [](json::object& c) {
                                              c["ldap"].as_object()["password_file"] =
                                                  "${CREDENTIALS_DIRECTORY}/ldap.password";
                                          },
                                          options),
                                      true);
    const bridge_process& bridge = *started;
    ::unsetenv("CREDENTIALS_DIRECTORY");  // the child has its own copy of the environment
    tls_connection open_before(bridge.port());
    ASSERT_EQ(open_before.served_fingerprint(), certificate_file_fingerprint(old_files.cert_file));
    ASSERT_EQ(open_before.get("/healthz"), 200u);

    // Renewal replaces the files in place; the config does not change.
    fs::copy_file(new_files.cert_file, cert, fs::copy_options::overwrite_existing);
    fs::copy_file(new_files.key_file, key, fs::copy_options::overwrite_existing);
    bridge.reload();
    ASSERT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();

    EXPECT_EQ(served_certificate_fingerprint(bridge.port()),
              certificate_file_fingerprint(new_files.cert_file));
    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    // The connection opened before the reload keeps its session and goes on serving.
    EXPECT_EQ(open_before.get("/healthz"), 200u);
}

TEST_F(ConfigReload, UnchangedLdapSettingsKeepTheOpenLdapConnections) {
    const auto started = start_bridge(config());
    const bridge_process& bridge = *started;
    const std::set<std::uint16_t> before = ldap_connections(bridge, 2);
    ASSERT_EQ(before.size(), 2u);

    // Another token set and page size; the same LDAP settings and password.
    reload_with(bridge, config([](json::object& c) {
                    c["tokens"].as_array().pop_back();
                    c["scim"] = {{"default_count", 50}};
                }));
    ASSERT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();
    EXPECT_NE(bridge.log().find("LDAP settings unchanged"), std::string::npos) << bridge.log();

    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    EXPECT_EQ(process_connections_to(bridge.pid(), slapd_->port()), before);
}

TEST_F(ConfigReload, ChangedLdapSettingsMoveRequestsToANewLdapClient) {
    const auto started = start_bridge(config());
    const bridge_process& bridge = *started;
    const std::set<std::uint16_t> before = ldap_connections(bridge, 2);
    ASSERT_EQ(before.size(), 2u);

    reload_with(bridge, config([](json::object& c) {
                    json::object& ldap = c["ldap"].as_object();
                    ldap["pool_size"] = 3;
                    ldap["operation_timeout"] = "7s";
                }));
    ASSERT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();
    EXPECT_NE(bridge.log().find("LDAP settings changed"), std::string::npos) << bridge.log();

    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    // The new client's three connections, none of the old ones (closed once unused).
    const std::set<std::uint16_t> after = ldap_connections(bridge, 3);
    ASSERT_EQ(after.size(), 3u);
    for (const std::uint16_t port : before) {
        EXPECT_EQ(after.count(port), 0u) << "connection from port " << port << " still open";
    }
}

TEST_F(ConfigReload, ALdapCaBundleRewrittenAtTheSamePathIsReadAgain) {
    // A TLS slapd of its own, its certificate from CA "corp"; the bridge trusts what the CA file
    // at one path holds, first corp, then (same path, new content) another CA.
    const test_ca corp(dir_, "corp");
    const test_ca other(dir_, "other");
    const pem_pair server = corp.issue("slapd");
    slapd_options options;
    options.tls = slapd_tls{server.cert_file, server.key_file, corp.ca_file(), false};
    slapd_launcher tls_slapd(options);
    tls_slapd.start();
    const std::string ca_file = dir_ + "/trusted-ca.pem";
    write_private_file(ca_file, read_file(corp.ca_file()));
    const auto on_tls = [&](json::object& c) {
        json::object& ldap = c["ldap"].as_object();
        ldap["uris"] = {tls_slapd.ldaps_uri()};
        ldap["ca_file"] = ca_file;
        ldap["password_file"] = tls_slapd.service_password_file();
    };
    const auto started = start_bridge(config(on_tls));
    const bridge_process& bridge = *started;
    ASSERT_EQ(status(bridge, bridge_fixture::default_token), 200u);

    write_private_file(ca_file, read_file(other.ca_file()));
    reload_with(bridge, config(on_tls));  // the config text itself is unchanged
    ASSERT_TRUE(bridge.log_shows("reload refused: the new LDAP settings")) << bridge.log();
    EXPECT_NE(bridge.log().find("LDAP settings changed"), std::string::npos) << bridge.log();
    EXPECT_NE(bridge.log().find("unknown CA"), std::string::npos) << bridge.log();
    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);  // still the old client
}

TEST_F(ConfigReload, ANewLdapPasswordThatDoesNotBindIsNotApplied) {
    const std::string password_file = dir_ + "/ldap.password";
    fs::copy_file(slapd_->service_password_file(), password_file);
    const auto with_password_file = [&](json::object& c) {
        c["ldap"].as_object()["password_file"] = password_file;
    };
    const auto started = start_bridge(config(with_password_file));
    const bridge_process& bridge = *started;
    const std::set<std::uint16_t> before = ldap_connections(bridge, 2);

    // Only the file's content changes: the bridge compares what it reads, not the path.
    std::ofstream(password_file, std::ios::trunc) << "not-the-password\n";
    bridge.reload();
    ASSERT_TRUE(bridge.log_shows("still serving the previous configuration")) << bridge.log();
    EXPECT_NE(bridge.log().find("LDAP settings changed"), std::string::npos) << bridge.log();
    EXPECT_EQ(bridge.log().find("not-the-password"), std::string::npos);

    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    // The refused client's connections close; the running ones stay.
    EXPECT_TRUE(
        eventually([&] { return process_connections_to(bridge.pid(), slapd_->port()) == before; }));
}

TEST_F(ConfigReload, HttpLimitsAndLogLevelApplyAndIoThreadsNeedARestart) {
    const auto started = start_bridge(config());
    const bridge_process& bridge = *started;
    // 2 KiB of invalid JSON: under the fixture's 64 KiB limit, so the body is read and refused.
    const std::string body(2048, 'x');
    const auto post = [&] {
        return bridge.request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                              body);
    };
    ASSERT_EQ(post().status, 400u);

    reload_with(bridge, config([](json::object& c) {
                    json::object& http = c["http"].as_object();
                    http["max_body_bytes"] = 1024;
                    http["io_threads"] = 3;
                    c["logging"] = {{"level", "warn"}};
                }));
    ASSERT_TRUE(bridge.log_shows("configuration applied (generation 1)")) << bridge.log();
    EXPECT_NE(bridge.log().find("http.io_threads changed: needs a restart"), std::string::npos)
        << bridge.log();

    EXPECT_EQ(post().status, 413u);
    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    // At level warn the access log (info) is silent.
    EXPECT_NE(bridge.log().find("reload: logging.level is now warn"), std::string::npos);
    const std::size_t lines = bridge.log().size();
    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
    EXPECT_EQ(bridge.log().size(), lines) << bridge.log().substr(lines);
}

TEST_F(ConfigReload, ASecretFileOthersCanReadIsRefusedAtStartAndOnReload) {
    const std::string password_file = dir_ + "/ldap.password";
    fs::copy_file(slapd_->service_password_file(), password_file);
    const std::string text =
        config([&](json::object& c) { c["ldap"].as_object()["password_file"] = password_file; });
    ::chmod(password_file.c_str(), 0644);
    const std::string config_file = dir_ + "/refused.json";
    std::ofstream(config_file) << text;
    const std::string output = dir_ + "/refused.log";
    EXPECT_EQ(run({SCIMLDAP_BRIDGE_BINARY, "serve", "--config", config_file}, output), 1);
    EXPECT_NE(read_file(output).find(password_file), std::string::npos) << read_file(output);
    EXPECT_NE(read_file(output).find("chmod 600"), std::string::npos) << read_file(output);

    ::chmod(password_file.c_str(), 0600);
    const auto started = start_bridge(text);
    const bridge_process& bridge = *started;
    ::chmod(password_file.c_str(), 0640);
    bridge.reload();
    ASSERT_TRUE(bridge.log_shows("still serving the previous configuration")) << bridge.log();
    EXPECT_NE(bridge.log().find("chmod 600 " + password_file), std::string::npos) << bridge.log();
    EXPECT_EQ(status(bridge, bridge_fixture::default_token), 200u);
}

// In-process, to hold a request open across the reload: it finishes on the generation it
// started with (its token already revoked, its test route gone from the new router).
TEST_F(ConfigReload, ARequestInFlightFinishesOnTheGenerationItStartedWith) {
    const std::string file = dir_ + "/config.json";
    const auto load = [&file] {
        auto loaded = mapping::load_config(file, mapping::default_profile_dirs());
        if (loaded) {
            loaded->listen.port = 0;  // as at start: the kernel's choice stays
        }
        return loaded;
    };
    std::ofstream(file) << config();
    auto first = load();
    ASSERT_TRUE(first);
    // What systemd would be told (Type=notify).
    std::mutex notified_mutex;
    std::vector<std::string> notified;
    cli::service svc(std::move(*first), [&](std::string_view state) {
        const std::lock_guard lock(notified_mutex);
        notified.emplace_back(state);
    });
    std::atomic<bool> entered{false};
    std::atomic<bool> released{false};
    svc.routes().add(bhttp::verb::get, "/Hold",
                     [&](scim::request_context&) -> boost::asio::awaitable<scim::http_response> {
                         entered = true;
                         boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
                         while (!released) {
                             tick.expires_after(std::chrono::milliseconds(5));
                             co_await tick.async_wait(boost::asio::use_awaitable);
                         }
                         co_return scim::json_response(200, json::value{{"held", "done"}});
                     });
    svc.start();
    const auto get = [&svc](const std::string& target, const std::string& token) {
        return http_request(svc.port(), bhttp::verb::get, target,
                            {{"Authorization", "Bearer " + token}});
    };
    ASSERT_TRUE(eventually([&] { return svc.ready(); }));
    auto in_flight = std::async(
        std::launch::async, [&] { return get("/scim/v2/Hold", bridge_fixture::default_token); });
    ASSERT_TRUE(eventually([&] { return entered.load(); }));

    std::ofstream(file, std::ios::trunc) << config([](json::object& c) {
        json::array& tokens = c["tokens"].as_array();
        tokens.erase(tokens.begin());
        c["ldap"].as_object()["pool_size"] = 3;
    });
    svc.reload(load);
    ASSERT_TRUE(eventually([&] { return svc.generation_number() == 1; }));
    EXPECT_EQ(get(lookup, bridge_fixture::default_token).status, 401u);
    EXPECT_EQ(get("/scim/v2/Hold", bridge_fixture::classlark_token).status, 404u);
    EXPECT_EQ(get(lookup, bridge_fixture::classlark_token).status, 200u);

    // RELOADING=1 (with the monotonic time) when the reload began, READY=1 once it was done.
    EXPECT_TRUE(eventually([&] {
        const std::lock_guard lock(notified_mutex);
        const auto reloading = std::find_if(notified.begin(), notified.end(), [](const auto& s) {
            return s.starts_with("RELOADING=1\nMONOTONIC_USEC=");
        });
        return reloading != notified.end() &&
               std::find(reloading, notified.end(), "READY=1") != notified.end();
    }));

    released = true;
    const http_reply held = in_flight.get();
    EXPECT_EQ(held.status, 200u);
    EXPECT_NE(held.body.find("done"), std::string::npos) << held.body;
    svc.request_shutdown();
    svc.wait();
}

}  // namespace
}  // namespace scimldap::testing
