// Which settings a reload applies and which need a restart (kept at the running value).
#include "bridge/cli/config_reload.hpp"

#include <gtest/gtest.h>

namespace scimldap::cli {
namespace {

using keys = std::vector<std::string>;

mapping::config running_config() {
    mapping::config c;
    c.listen.tls = mapping::tls_settings{"/etc/b/server.crt", "/etc/b/server.key"};
    c.ldap.uris = {"ldap://127.0.0.1:389"};
    c.tokens = {{"okta", std::string(64, 'a'), "default"}};
    return c;
}

TEST(RestartOnlySettings, AnUnchangedConfigNeedsNoRestart) {
    const mapping::config running = running_config();
    mapping::config next = running;
    EXPECT_EQ(keep_restart_only_settings(running, next), keys{});
}

TEST(RestartOnlySettings, TheListenerIoThreadsAndLogFormatNeedARestartAndKeepTheirRunningValues) {
    const mapping::config running = running_config();
    mapping::config next = running;
    next.listen.host = "0.0.0.0";
    next.listen.port = 9443;
    next.http.io_threads = 8;
    next.logging.format = "json";
    EXPECT_EQ(keep_restart_only_settings(running, next),
              (keys{"listen.host", "listen.port", "http.io_threads", "logging.format"}));
    EXPECT_EQ(next.listen.host, running.listen.host);
    EXPECT_EQ(next.listen.port, running.listen.port);
    EXPECT_EQ(next.http.io_threads, running.http.io_threads);
    EXPECT_EQ(next.logging.format, running.logging.format);
}

TEST(RestartOnlySettings, TokensTenantsLdapScimHttpLimitsLogLevelAndCertificateFilesApplyLive) {
    const mapping::config running = running_config();
    mapping::config next = running;
    next.tokens.clear();
    next.tenants.push_back({});
    next.ldap.pool_size = 4;
    next.ldap.password_file = "/run/credentials/b/ldap.password";
    next.scim.default_count = 10;
    next.http.base_path = "/scim";
    next.http.max_body_bytes = 4096;
    next.http.max_connections = 10;
    next.http.request_timeout = std::chrono::seconds(5);
    next.logging.level = "debug";
    next.listen.tls = mapping::tls_settings{"/etc/b/renewed.crt", "/etc/b/renewed.key"};
    EXPECT_EQ(keep_restart_only_settings(running, next), keys{});
    EXPECT_EQ(next.listen.tls->cert_file, "/etc/b/renewed.crt");
    EXPECT_EQ(next.ldap.pool_size, 4u);
    EXPECT_EQ(next.http.base_path, "/scim");
    EXPECT_EQ(next.http.max_connections, 10u);
    EXPECT_EQ(next.logging.level, "debug");
}

TEST(RestartOnlySettings, TurningTlsOnOrOffNeedsARestart) {
    const mapping::config running = running_config();
    mapping::config plain = running;
    plain.listen.tls.reset();
    EXPECT_EQ(keep_restart_only_settings(running, plain), keys{"listen.tls"});
    ASSERT_TRUE(plain.listen.tls);
    EXPECT_EQ(plain.listen.tls->cert_file, "/etc/b/server.crt");

    mapping::config without = running;
    without.listen.tls.reset();
    mapping::config with = running;
    EXPECT_EQ(keep_restart_only_settings(without, with), keys{"listen.tls"});
    EXPECT_FALSE(with.listen.tls);
}

}  // namespace
}  // namespace scimldap::cli
