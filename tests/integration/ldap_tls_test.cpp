// TLS toward the directory through SCIM, on a slapd that serves ldaps:// and StartTLS with a
// throwaway CA: each way in works end to end, and each way it can fail (unknown CA, expired
// certificate, name mismatch, no StartTLS, a silent server) gives its own error and /readyz 503.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"
#include "tests/support/test_pki.hpp"

#include <gtest/gtest.h>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

/// A directory for certificates that outlives the suite's slapds.
std::string make_pki_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "scimldap-pki-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) {
        throw std::runtime_error("cannot make a temp dir for the test PKI");
    }
    return templ;
}

std::string new_user(const std::string& user_name) {
    return json::serialize(json::object{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                                        {"userName", user_name},
                                        {"name", {{"givenName", "Tia"}, {"familyName", "Lee"}}}});
}

class LdapTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        pki_dir_ = make_pki_dir();
        ca_ = std::make_unique<test_ca>(pki_dir_, "corp");
        other_ca_ = std::make_unique<test_ca>(pki_dir_, "other");
        const pem_pair server = ca_->issue("slapd");
        slapd_options options;
        options.tls = slapd_tls{server.cert_file, server.key_file, ca_->ca_file(), true};
        slapd_ = std::make_unique<slapd_launcher>(options);
        slapd_->start();
    }
    static void TearDownTestSuite() {
        slapd_.reset();
        ca_.reset();
        other_ca_.reset();
        std::filesystem::remove_all(pki_dir_);
    }

    /// A bridge on the suite's slapd with these "ldap" keys; started, and ready when expected.
    std::unique_ptr<bridge_fixture> bridge(json::object ldap, bool expect_ready = true) {
        bridge_options options;
        options.ldap = std::move(ldap);
        auto b = std::make_unique<bridge_fixture>(*slapd_, options);
        b->start(expect_ready);
        return b;
    }

    /// /readyz once the bridge has tried and failed: 503 and the detail it gives.
    static std::string not_ready_detail(const bridge_fixture& b) {
        std::string detail;
        eventually([&] {
            const http_reply r = b.request(bhttp::verb::get, "/readyz", "");
            if (r.status != 503) {
                return false;
            }
            detail = std::string(r.json().at("detail").as_string());
            return detail.find(": ") != std::string::npos;  // a reason came with it
        });
        return detail;
    }

    /// Creates a user through SCIM and checks the entry is in the directory.
    static void expect_create_reaches_directory(const bridge_fixture& b, const std::string& uid) {
        const http_reply created = b.request(bhttp::verb::post, "/scim/v2/Users",
                                             bridge_fixture::default_token, new_user(uid));
        ASSERT_EQ(created.status, 201) << created.body;
        const http_reply found =
            b.request(bhttp::verb::get, "/scim/v2/Users?filter=userName%20eq%20%22" + uid + "%22");
        ASSERT_EQ(found.status, 200) << found.body;
        EXPECT_EQ(found.json().at("totalResults").as_int64(), 1);
        ldap_admin admin(*slapd_);
        const auto entry = admin.read("uid=" + uid + ",ou=People,dc=example,dc=org");
        ASSERT_TRUE(entry.has_value());
        EXPECT_EQ(attribute_values(*entry, "sn"), std::vector<std::string>{"Lee"});
    }

    static inline std::string pki_dir_;
    static inline std::unique_ptr<test_ca> ca_;
    static inline std::unique_ptr<test_ca> other_ca_;
    static inline std::unique_ptr<slapd_launcher> slapd_;
};

TEST_F(LdapTls, LdapsCarriesEveryScimRequest) {
    const auto b = bridge({{"uris", {slapd_->ldaps_uri()}}, {"ca_file", ca_->ca_file()}});
    expect_create_reaches_directory(*b, "tls.ldaps");
}

TEST_F(LdapTls, StartTlsCarriesEveryScimRequest) {
    const auto b =
        bridge({{"uris", {slapd_->uri()}}, {"tls", "starttls"}, {"ca_file", ca_->ca_file()}});
    expect_create_reaches_directory(*b, "tls.starttls");
}

TEST_F(LdapTls, StartTlsCanBeSetForOneUri) {
    const auto b = bridge(
        {{"uris", {{{"uri", slapd_->uri()}, {"tls", "starttls"}}}}, {"ca_file", ca_->ca_file()}});
    expect_create_reaches_directory(*b, "tls.per-uri");
}

TEST_F(LdapTls, HostNameIsResolvedAndMatchedAgainstTheCertificate) {
    const auto b =
        bridge({{"uris", {slapd_->ldaps_uri("localhost")}}, {"ca_file", ca_->ca_file()}});
    expect_create_reaches_directory(*b, "tls.localhost");
}

TEST_F(LdapTls, AClientCertificateBindsWithSaslExternalInsteadOfAPassword) {
    const pem_pair client = ca_->issue(
        "bridge-client", {.common_name = "scim-bridge", .dns_names = {}, .ip_addresses = {}});
    const auto b = bridge({{"uris", {slapd_->ldaps_uri()}},
                           {"ca_file", ca_->ca_file()},
                           {"cert_file", client.cert_file},
                           {"key_file", client.key_file},
                           {"sasl_external", true},
                           {"bind_dn", nullptr},
                           {"password_file", nullptr}});
    expect_create_reaches_directory(*b, "tls.external");
    // slapd mapped the certificate's subject to the service account: the entry says who wrote it.
    ldap_admin admin(*slapd_);
    const auto entry = admin.read("uid=tls.external,ou=People,dc=example,dc=org");
    ASSERT_TRUE(entry.has_value());
    const auto creators = attribute_values(*entry, "creatorsName");
    ASSERT_EQ(creators.size(), 1u);
    EXPECT_TRUE(boost::iequals(creators.front(), std::string(slapd_launcher::service_dn)))
        << creators.front();
}

TEST_F(LdapTls, UnknownCaIsRefusedAndReadyzSaysSo) {
    const auto b =
        bridge({{"uris", {slapd_->ldaps_uri()}}, {"ca_file", other_ca_->ca_file()}}, false);
    const std::string detail = not_ready_detail(*b);
    EXPECT_NE(detail.find("TLS handshake with 127.0.0.1:" + std::to_string(slapd_->ldaps_port())),
              std::string::npos)
        << detail;
    EXPECT_NE(detail.find("unknown CA"), std::string::npos) << detail;
    const http_reply r = b->request(bhttp::verb::get, "/scim/v2/Users?count=1");
    EXPECT_EQ(r.status, 503) << r.body;
}

TEST_F(LdapTls, StartTlsWithUnknownCaIsRefusedToo) {
    const auto b = bridge(
        {{"uris", {slapd_->uri()}}, {"tls", "starttls"}, {"ca_file", other_ca_->ca_file()}}, false);
    EXPECT_NE(not_ready_detail(*b).find("unknown CA"), std::string::npos);
}

TEST_F(LdapTls, InsecureSkipVerifyConnectsDespiteAnUnknownCa) {
    const auto b = bridge({{"uris", {slapd_->ldaps_uri()}},
                           {"ca_file", other_ca_->ca_file()},
                           {"insecure_skip_verify", true}});
    expect_create_reaches_directory(*b, "tls.insecure");
}

TEST_F(LdapTls, FailoverFromADeadUriToALiveTlsOne) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor closed(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto dead_port = closed.local_endpoint().port();
    closed.close();  // nothing listens there now
    const auto b =
        bridge({{"uris", {"ldaps://127.0.0.1:" + std::to_string(dead_port), slapd_->ldaps_uri()}},
                {"ca_file", ca_->ca_file()}});
    expect_create_reaches_directory(*b, "tls.failover");
}

TEST_F(LdapTls, AHostNameThatDoesNotResolveIsNamedInReadyz) {
    const auto b = bridge({{"uris", {"ldaps://no-such-host.invalid"}},
                           {"ca_file", ca_->ca_file()},
                           {"connect_timeout", "500ms"}},
                          false);
    const std::string detail = not_ready_detail(*b);
    EXPECT_NE(detail.find("cannot resolve no-such-host.invalid"), std::string::npos) << detail;
}

TEST_F(LdapTls, ASilentServerIsAHandshakeTimeout) {
    // Accepts the connection (the kernel's backlog) and never says a word.
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = silent.local_endpoint().port();
    const auto b = bridge({{"uris", {"ldaps://127.0.0.1:" + std::to_string(port)}},
                           {"ca_file", ca_->ca_file()},
                           {"connect_timeout", "300ms"}},
                          false);
    const std::string detail = not_ready_detail(*b);
    EXPECT_NE(detail.find("TLS handshake with 127.0.0.1:" + std::to_string(port) +
                          " timed out after 300 ms"),
              std::string::npos)
        << detail;
}

TEST_F(LdapTls, TheConnectionComesBackWithItsHandshakeAfterTheServerRestarts) {
    const auto b = bridge({{"uris", {slapd_->ldaps_uri()}}, {"ca_file", ca_->ca_file()}});
    slapd_->stop();
    EXPECT_TRUE(
        eventually([&] { return b->request(bhttp::verb::get, "/readyz", "").status == 503; }, 10s));
    slapd_->start();
    EXPECT_TRUE(
        eventually([&] { return b->request(bhttp::verb::get, "/readyz", "").status == 200; }, 20s));
    expect_create_reaches_directory(*b, "tls.reconnected");
}

TEST_F(LdapTls, CheckLivePrintsTheServerCertificate) {
    bridge_options options;
    options.ldap = {{"uris", {slapd_->ldaps_uri()}}, {"ca_file", ca_->ca_file()}};
    const std::string config = pki_dir_ + "/check-live.json";
    std::ofstream(config) << bridge_config_json(slapd_->uri(), slapd_->service_password_file(),
                                                options);
    const std::string output = make_temp_file("scimldap-check-tls");
    const int status = run({SCIMLDAP_BRIDGE_BINARY, "check", "--live", "--config", config}, output);
    const std::string text = read_file(output);
    std::filesystem::remove(output);
    EXPECT_EQ(status, 0) << text;
    EXPECT_NE(text.find("TLS: TLSv1.3, server certificate subject CN=localhost, issuer CN=corp "
                        "test CA, expires 20"),
              std::string::npos)
        << text;
}

TEST_F(LdapTls, CheckWarnsWhenCertificateChecksAreOff) {
    bridge_options options;
    options.ldap = {{"uris", {slapd_->ldaps_uri()}}, {"insecure_skip_verify", true}};
    const std::string config = pki_dir_ + "/check-insecure.json";
    std::ofstream(config) << bridge_config_json(slapd_->uri(), slapd_->service_password_file(),
                                                options);
    const std::string output = make_temp_file("scimldap-check-insecure");
    const int status = run({SCIMLDAP_BRIDGE_BINARY, "check", "--config", config}, output);
    const std::string text = read_file(output);
    std::filesystem::remove(output);
    EXPECT_EQ(status, 0) << text;  // allowed, but never silently
    EXPECT_NE(text.find("warning: ldap.insecure_skip_verify is true: the directory's certificate "
                        "is not checked"),
              std::string::npos)
        << text;
}

// Certificates that are wrong in themselves: a slapd of their own each.
class LdapTlsBadCertificate : public LdapTls {
protected:
    /// A slapd serving `request`'s certificate, signed by the suite's CA, on ldaps.
    static std::unique_ptr<slapd_launcher> slapd_with(const std::string& name,
                                                      const certificate_request& request) {
        const pem_pair server = ca_->issue(name, request);
        slapd_options options;
        options.tls = slapd_tls{server.cert_file, server.key_file, ca_->ca_file(), false};
        auto s = std::make_unique<slapd_launcher>(options);
        s->start();
        return s;
    }
    static std::string detail_against(const slapd_launcher& s) {
        bridge_options options;
        options.ldap = {{"uris", {s.ldaps_uri()}}, {"ca_file", ca_->ca_file()}};
        bridge_fixture b(s, options);
        b.start(false);
        return not_ready_detail(b);
    }
};

TEST_F(LdapTlsBadCertificate, AnExpiredCertificateIsRefusedWithItsDate) {
    certificate_request expired;
    expired.not_before = -std::chrono::hours(48);
    expired.not_after = -std::chrono::hours(24);
    const auto s = slapd_with("expired", expired);
    const std::string detail = detail_against(*s);
    EXPECT_NE(detail.find("the server's certificate expired on 20"), std::string::npos) << detail;
}

TEST_F(LdapTlsBadCertificate, ACertificateForAnotherNameIsANameMismatch) {
    certificate_request elsewhere;
    elsewhere.common_name = "ldap.other.example";
    elsewhere.dns_names = {"ldap.other.example"};
    elsewhere.ip_addresses = {};
    const auto s = slapd_with("elsewhere", elsewhere);
    const std::string detail = detail_against(*s);
    EXPECT_NE(detail.find("name mismatch: the server's certificate is not issued for "
                          "\"127.0.0.1\""),
              std::string::npos)
        << detail;
}

TEST(LdapStartTls, AServerWithoutTlsRefusesStartTlsAndReadyzSaysSo) {
    slapd_launcher plain;  // no TLS configured: slapd answers StartTLS with an error
    plain.start();
    bridge_options options;
    options.ldap = {{"uris", {plain.uri()}}, {"tls", "starttls"}};
    bridge_fixture b(plain, options);
    b.start(false);
    std::string detail;
    EXPECT_TRUE(eventually([&] {
        const http_reply r = b.request(bhttp::verb::get, "/readyz", "");
        detail = r.status == 503 ? std::string(r.json().at("detail").as_string()) : "";
        return detail.find("StartTLS refused by 127.0.0.1:" + std::to_string(plain.port())) !=
               std::string::npos;
    })) << detail;
}

}  // namespace
}  // namespace scimldap::testing
