// Faults between the bridge and slapd (issue 13, points 1 and 4): the bridge's ldap.uris go
// through tcp_proxy, which black-holes, cuts, delays or refuses on command; slapd itself is
// frozen (SIGSTOP) or killed (SIGKILL) and restarted. Each test checks the HTTP answers and what
// the directory holds; timings are bounded generously, never asserted tightly.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/frozen_process.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"
#include "tests/support/tcp_proxy.hpp"
#include "tests/support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* seeded_uid = "nf-seeded";

std::chrono::milliseconds since(steady::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

/// The lookup every IdP makes: `userName eq "<uid>"`.
std::string lookup_target(const std::string& uid) {
    return "/scim/v2/Users?filter=userName%20eq%20%22" + uid + "%22";
}

/// A duration in the form the config reads.
std::string config_ms(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + "ms";
}

/// The ldap settings of the tests: short timeouts so a fault shows within a second or two
/// (three times that under sanitizers, time_scale.hpp).
json::object fast_ldap(const std::vector<std::string>& uris,
                       std::chrono::milliseconds probe_interval) {
    json::array list;
    for (const auto& u : uris) {
        list.emplace_back(u);
    }
    return {{"uris", std::move(list)},
            {"operation_timeout", config_ms(scaled(1000ms))},
            {"connect_timeout", config_ms(scaled(500ms))},
            {"reconnect_backoff_min", "50ms"},
            {"reconnect_backoff_max", "300ms"},
            {"probe_interval", config_ms(probe_interval)},
            {"pool_size", 1}};
}

/// One IO thread, so the pool is one connection and "the connection" is well defined.
bridge_options one_connection(json::object ldap) {
    bridge_options options;
    options.ldap = std::move(ldap);
    options.edit_config = [](json::object& config) {
        config["http"].as_object()["io_threads"] = 1;
    };
    return options;
}

/// The user every lookup of these tests asks for, written as the rootdn.
void seed_user(const slapd_launcher& slapd) {
    ldap_admin(slapd).apply_ldif("dn: uid=" + std::string(seeded_uid) + "," + people +
                                 "\nobjectClass: inetOrgPerson\nuid: " + seeded_uid +
                                 "\ncn: Nf Seeded\nsn: Seeded\n\n");
}

/// The seeded user as the lookup returns it: exactly one resource with its userName.
void expect_seeded_user(const http_reply& reply) {
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto body = reply.json().as_object();
    ASSERT_EQ(body.at("totalResults").as_int64(), 1) << reply.body;
    const auto& user = body.at("Resources").as_array().at(0).as_object();
    EXPECT_EQ(user.at("userName").as_string(), seeded_uid);
    EXPECT_EQ(user.at("name").as_object().at("familyName").as_string(), "Seeded");
}

void expect_unavailable(const http_reply& reply) {
    EXPECT_EQ(reply.status, 503u) << reply.body;
    EXPECT_FALSE(reply.header("Retry-After").empty());
    const auto body = reply.json().as_object();
    EXPECT_EQ(body.at("status").as_string(), "503");
}

// ---------------------------------------------------------------------------------------------
// Network faults through the proxy: one slapd for the suite, a proxy and a bridge per test.

class LdapNetworkFaults : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = new slapd_launcher();
        slapd_->start();
        seed_user(*slapd_);
    }
    static void TearDownTestSuite() {
        delete slapd_;
        slapd_ = nullptr;
    }

    void SetUp() override { proxy_ = std::make_unique<tcp_proxy>("127.0.0.1", slapd_->port()); }
    void TearDown() override {
        bridge_.reset();
        proxy_.reset();
    }

    void start_bridge(bridge_options options) {
        bridge_ = std::make_unique<bridge_fixture>(*slapd_, std::move(options));
        bridge_->start();
    }
    http_reply lookup() const {
        return bridge_->request(bhttp::verb::get, lookup_target(seeded_uid));
    }

    /// Black-holes the open connection and times the lookup that meets it.
    std::pair<http_reply, std::chrono::milliseconds> lookup_into_black_hole() {
        proxy_->black_hole();
        const auto start = steady::now();
        http_reply reply = lookup();
        return {std::move(reply), since(start)};
    }

    static slapd_launcher* slapd_;
    std::unique_ptr<tcp_proxy> proxy_;
    std::unique_ptr<bridge_fixture> bridge_;
};
slapd_launcher* LdapNetworkFaults::slapd_ = nullptr;

TEST_F(LdapNetworkFaults, ARequestOnABlackHoledConnectionAnswers503WithRetryAfterWithinItsTimeout) {
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 0ms)));
    expect_seeded_user(lookup());

    const auto [reply, waited] = lookup_into_black_hole();

    std::cout << "[ measured ] 503 after " << waited.count() << " ms on the black hole\n";
    expect_unavailable(reply);
    EXPECT_LT(waited, scaled(3000ms)) << "ldap.operation_timeout is 1 s";
    ASSERT_TRUE(ldap_admin(*slapd_).read("uid=" + std::string(seeded_uid) + "," + people));
}

TEST_F(LdapNetworkFaults, ABlackHoledConnectionIsReplacedSoTheNextRequestSucceeds) {
    // No idle probe: the request itself meets the black hole.
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 0ms)));
    expect_seeded_user(lookup());
    const std::size_t connections_before = proxy_->accepted();

    proxy_->black_hole();  // the open connection only: a new one is forwarded
    expect_unavailable(lookup());

    const auto start = steady::now();
    const http_reply next = lookup();
    expect_seeded_user(next);
    EXPECT_LT(since(start), scaled(1000ms)) << "the next request waited on the dead connection";
    EXPECT_GT(proxy_->accepted(), connections_before);
}

TEST_F(LdapNetworkFaults, AnIdleBlackHoledConnectionIsFoundByTheProbeBeforeARequestMeetsIt) {
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 200ms)));
    expect_seeded_user(lookup());
    const std::size_t connections_before = proxy_->accepted();

    proxy_->black_hole();
    const auto start = steady::now();
    // probe_interval 200 ms + operation_timeout 1 s, then a new connection.
    ASSERT_TRUE(eventually([&] { return proxy_->accepted() > connections_before; }, 10s));
    std::cout << "[ measured ] idle black hole replaced after " << since(start).count() << " ms\n";
    ASSERT_TRUE(eventually(
        [&] { return bridge_->request(bhttp::verb::get, "/readyz", "").status == 200; }, 5s));

    const auto lookup_start = steady::now();
    expect_seeded_user(lookup());
    EXPECT_LT(since(lookup_start), scaled(1000ms)) << "the request met the black hole";
}

TEST_F(LdapNetworkFaults, ACutInsideAResponseLeavesTheNextRequestWorking) {
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 0ms)));
    expect_seeded_user(lookup());

    // 12 bytes: past the LDAPMessage's tag, length and message id, inside the entry's PDU.
    proxy_->cut_next_response(12);
    expect_unavailable(lookup());
    ASSERT_EQ(proxy_->cuts(), 1u);

    expect_seeded_user(lookup());
    expect_seeded_user(lookup());
}

TEST_F(LdapNetworkFaults, ASlowLinkWithinTheOperationTimeoutKeepsItsConnection) {
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 200ms)));
    const std::size_t connections_before = proxy_->accepted();

    proxy_->delay(150ms);  // both ways: an answer takes ≥ 300 ms, under the 1 s timeout
    for (int i = 0; i < 3; ++i) {
        expect_seeded_user(lookup());
    }
    std::this_thread::sleep_for(1500ms);  // several idle probes, each answered late
    expect_seeded_user(lookup());
    EXPECT_EQ(proxy_->accepted(), connections_before) << "a slow connection was replaced";
}

TEST_F(LdapNetworkFaults, TheNextUriServesWhenTheFirstStopsAnswering) {
    tcp_proxy second("127.0.0.1", slapd_->port());
    start_bridge(one_connection(fast_ldap({proxy_->uri(), second.uri()}, 200ms)));
    expect_seeded_user(lookup());
    ASSERT_EQ(second.accepted(), 0u) << "the first URI is preferred";

    proxy_->black_hole(true);  // the first server accepts connections but never answers
    const auto start = steady::now();
    ASSERT_TRUE(eventually([&] { return second.accepted() > 0; }, 10s));
    std::cout << "[ measured ] failover to the second URI after " << since(start).count()
              << " ms\n";
    ASSERT_TRUE(eventually([&] { return lookup().status == 200; }, 5s));
    expect_seeded_user(lookup());
}

TEST_F(LdapNetworkFaults, TheRequestTimeoutEndsARequestWaitingOnTheDirectory) {
    auto ldap = fast_ldap({proxy_->uri()}, 0ms);
    ldap["operation_timeout"] = "10s";
    auto options = one_connection(std::move(ldap));
    options.request_timeout = scaled(1000ms);
    start_bridge(std::move(options));
    expect_seeded_user(lookup());

    const auto [reply, waited] = lookup_into_black_hole();

    std::cout << "[ measured ] 503 after " << waited.count() << " ms (request timeout 1 s)\n";
    expect_unavailable(reply);
    EXPECT_LT(waited, scaled(3000ms)) << "http.request_timeout is 1 s, ldap.operation_timeout 10 s";
}

TEST_F(LdapNetworkFaults, RefusedConnectionsAnswer503AndForwardingAgainRecovers) {
    start_bridge(one_connection(fast_ldap({proxy_->uri()}, 0ms)));
    expect_seeded_user(lookup());

    proxy_->refuse(true);
    proxy_->cut_all();
    const auto start = steady::now();
    expect_unavailable(lookup());
    EXPECT_LT(since(start), scaled(2000ms));

    proxy_->refuse(false);
    ASSERT_TRUE(eventually([&] { return lookup().status == 200; }, 5s));
    expect_seeded_user(lookup());
}

// ---------------------------------------------------------------------------------------------
// slapd frozen or killed: /readyz and the SCIM answers follow the directory.

class DirectoryOutage : public ::testing::Test {
protected:
    void SetUp() override {
        slapd_.start();
        seed_user(slapd_);
    }
    void start_bridge(bridge_options options) {
        bridge_ = std::make_unique<bridge_fixture>(slapd_, std::move(options));
        bridge_->start();
    }
    unsigned readyz() const { return bridge_->request(bhttp::verb::get, "/readyz", "").status; }

    slapd_launcher slapd_;
    std::unique_ptr<bridge_fixture> bridge_;
};

TEST_F(DirectoryOutage, ReadyzAnswers503WhileSlapdIsFrozenAnd200OnceItResumes) {
    start_bridge(one_connection(fast_ldap({slapd_.uri()}, 200ms)));
    ASSERT_EQ(readyz(), 200u);

    frozen_directory stopped(slapd_.pid());
    const auto start = steady::now();
    ASSERT_TRUE(eventually([&] { return readyz() == 503; }, 15s));
    std::cout << "[ measured ] /readyz 503 after " << since(start).count()
              << " ms of SIGSTOP (probe_interval 200 ms, operation_timeout 1 s)\n";
    const http_reply probe = bridge_->request(bhttp::verb::get, "/readyz", "");
    EXPECT_FALSE(probe.header("Retry-After").empty());
    EXPECT_NE(probe.json().as_object().at("detail").as_string().find("LDAP"), std::string::npos);

    stopped.resume();
    const auto resumed = steady::now();
    ASSERT_TRUE(eventually([&] { return readyz() == 200; }, 15s));
    std::cout << "[ measured ] /readyz 200 again " << since(resumed).count()
              << " ms after SIGCONT\n";
    expect_seeded_user(bridge_->request(bhttp::verb::get, lookup_target(seeded_uid)));
}

TEST_F(DirectoryOutage, RequestsWhileSlapdIsKilledAnswer503WithRetryAfter) {
    start_bridge({});  // the shipped defaults: operation_timeout 5 s, backoff up to 5 s
    slapd_.kill();

    for (int i = 0; i < 5; ++i) {
        const auto start = steady::now();
        const http_reply reply = bridge_->request(bhttp::verb::get, lookup_target(seeded_uid));
        expect_unavailable(reply);
        EXPECT_LT(since(start), 5000ms) << "waited past ldap.operation_timeout";
    }
    EXPECT_TRUE(eventually([&] { return readyz() == 503; }, 10s));
}

TEST_F(DirectoryOutage, AUserCreatedBeforeSlapdIsKilledIsServedAfterItRestarts) {
    start_bridge({});
    const http_reply created = bridge_->request(
        bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"nf-survivor",)"
        R"("name":{"givenName":"Sur","familyName":"Vivor"}})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().as_object().at("id").as_string());

    slapd_.kill();
    expect_unavailable(bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id));
    slapd_.start();  // same data directory, same port; returns once slapd answers
    const auto restarted = steady::now();
    std::cout << "[ measured ] slapd answered " << slapd_.last_start_duration().count()
              << " ms after its restart began\n";
    http_reply reply;
    ASSERT_TRUE(eventually(
        [&] {
            reply = bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id);
            return reply.status != 503;
        },
        20s));
    const auto first_success = since(restarted);
    std::cout << "[ measured ] first success " << first_success.count()
              << " ms after slapd answered again\n";
    ::testing::Test::RecordProperty("first_success_ms", static_cast<int>(first_success.count()));
    EXPECT_LT(first_success, 10s);

    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(reply.json().as_object().at("userName").as_string(), "nf-survivor");
    const auto entry = ldap_admin(slapd_).read("uid=nf-survivor," + std::string(people));
    ASSERT_TRUE(entry);
    EXPECT_EQ(attribute_values(*entry, "sn"), std::vector<std::string>{"Vivor"});
    EXPECT_TRUE(eventually([&] { return readyz() == 200; }, 10s));
}

}  // namespace
}  // namespace scimldap::testing
