// Prometheus metrics (issue 15) on a real slapd: the scrape passes `promtool check metrics`,
// counters move with traffic, LDAP results carry their RFC 4511 names, ids never become labels,
// and the main port's /metrics opens only for the metrics token.
#include "bridge/auth/token_hash.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* metrics_token = "metrics-scrape-test-token";

class Metrics : public bridge_suite<Metrics> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.edit_config = [](json::object& config) {
            config["metrics"] =
                json::object{{"listen", json::object{{"host", "127.0.0.1"}, {"port", 9464}}},
                             {"token_sha256", auth::hash_token(metrics_token)}};
        };
        return o;
    }

protected:
    static std::string scrape() {
        const auto r = http_request(bridge_->metrics_port(), bhttp::verb::get, "/metrics");
        EXPECT_EQ(r.status, 200u) << r.body;
        return r.body;
    }

    /// The value of one series (`name{labels}` exactly as exposed); 0 when it is not there yet.
    static double value_of(const std::string& text, const std::string& series) {
        const std::string start = series + " ";
        for (std::size_t at = text.find(start); at != std::string::npos;
             at = text.find(start, at + 1)) {
            if (at == 0 || text[at - 1] == '\n') {
                return std::stod(text.substr(at + start.size()));
            }
        }
        return 0;
    }

    static http_reply scim(bhttp::verb method, const std::string& target,
                           const std::string& body = {}) {
        return bridge_->request(method, "/scim/v2" + target, bridge_fixture::default_token, body);
    }
};

TEST_F(Metrics, ScrapePassesPromtoolAndListsTheDocumentedMetrics) {
    ASSERT_EQ(scim(bhttp::verb::get, "/Users?count=1").status, 200u);
    const auto r = http_request(bridge_->metrics_port(), bhttp::verb::get, "/metrics");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");

    const auto file = std::filesystem::path(slapd_->dir()) / "scrape.txt";
    std::ofstream(file) << r.body;
    const std::string command = "promtool check metrics < " + file.string() + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
        output += buf;
    }
    const int status = ::pclose(pipe);
    // 127: not installed. scripts/setup.sh installs Debian's prometheus package for promtool.
    ASSERT_NE(WEXITSTATUS(status), 127) << "promtool is missing: run scripts/setup.sh";
    EXPECT_EQ(WEXITSTATUS(status), 0) << output << "\n--- scrape ---\n" << r.body;

    for (const char* name :
         {"scimldap_http_requests_total", "scimldap_http_request_duration_seconds",
          "scimldap_http_in_flight", "scimldap_http_connections", "scimldap_ldap_operations_total",
          "scimldap_ldap_operation_duration_seconds", "scimldap_ldap_connections",
          "scimldap_ldap_reconnects_total", "scimldap_ldap_waiting_operations",
          "scimldap_config_reloads_total", "scimldap_build_info", "process_resident_memory_bytes",
          "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"}) {
        EXPECT_NE(r.body.find(std::string("# TYPE ") + name), std::string::npos)
            << name << " is missing";
    }
}

TEST_F(Metrics, CountersMoveWithTraffic) {
    const std::string created =
        R"(scimldap_http_requests_total{tenant="default",method="POST",endpoint="/Users",status="201"})";
    const std::string latency =
        R"(scimldap_http_request_duration_seconds_count{tenant="default",method="POST",endpoint="/Users"})";
    const std::string adds = R"(scimldap_ldap_operations_total{op="add",result="success"})";
    const std::string before = scrape();

    const auto r = scim(bhttp::verb::post, "/Users", R"({"userName": "metrics.counted"})");
    ASSERT_EQ(r.status, 201u) << r.body;

    const std::string after = scrape();
    EXPECT_EQ(value_of(after, created), value_of(before, created) + 1) << after;
    EXPECT_EQ(value_of(after, latency), value_of(before, latency) + 1) << after;
    EXPECT_GE(value_of(after, adds), value_of(before, adds) + 1) << after;
    EXPECT_GE(value_of(after, R"(scimldap_ldap_connections{uri=")" + slapd_->uri() +
                                  R"(",state="ready",pool="write"})"),
              1)
        << after;
}

TEST_F(Metrics, LdapFailuresAreCountedByResultName) {
    ASSERT_EQ(scim(bhttp::verb::post, "/Users", R"({"userName": "metrics.twice"})").status, 201u);
    const std::string refused =
        R"(scimldap_ldap_operations_total{op="add",result="entryAlreadyExists"})";
    const std::string conflicts =
        R"(scimldap_http_requests_total{tenant="default",method="POST",endpoint="/Users",status="409"})";
    const std::string before = scrape();

    EXPECT_EQ(scim(bhttp::verb::post, "/Users", R"({"userName": "metrics.twice"})").status, 409u);

    const std::string after = scrape();
    EXPECT_EQ(value_of(after, refused), value_of(before, refused) + 1) << after;
    EXPECT_EQ(value_of(after, conflicts), value_of(before, conflicts) + 1) << after;
}

TEST_F(Metrics, IdsNeverBecomeLabels) {
    const auto created = scim(bhttp::verb::post, "/Users", R"({"userName": "metrics.id"})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());
    ASSERT_EQ(scim(bhttp::verb::get, "/Users/" + id).status, 200u);
    ASSERT_EQ(scim(bhttp::verb::get, "/Users/" + id + "x").status, 404u);

    const std::string text = scrape();
    EXPECT_EQ(text.find(id), std::string::npos) << text;
    EXPECT_GE(
        value_of(
            text,
            R"(scimldap_http_requests_total{tenant="default",method="GET",endpoint="/Users/{id}",status="200"})"),
        1)
        << text;
}

TEST_F(Metrics, MainPortOpensMetricsOnlyForTheMetricsToken) {
    EXPECT_EQ(bridge_->request(bhttp::verb::get, "/metrics", "").status, 401u);
    EXPECT_EQ(bridge_->request(bhttp::verb::get, "/metrics", bridge_fixture::default_token).status,
              401u)
        << "a SCIM token must not read the metrics";
    const auto r = bridge_->request(bhttp::verb::get, "/metrics", metrics_token);
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_NE(r.body.find("scimldap_build_info{version="), std::string::npos) << r.body;
}

// docs/operations.md, "slapd's monitor": the directory's own counters beside the bridge's, so
// an operator can tell a slow bridge from a slow directory.
TEST_F(Metrics, SlapdMonitorCountsTheSearchesTheBridgeCounts) {
    const auto completed = [] {
        ldap_admin admin(*slapd_);
        const auto e = admin.read("cn=Search,cn=Operations,cn=Monitor", {"monitorOpCompleted"});
        EXPECT_TRUE(e) << "the test slapd has no cn=Monitor database";
        const auto v = e ? attribute_values(*e, "monitorOpCompleted") : std::vector<std::string>{};
        return v.empty() ? 0.0 : std::stod(v.front());
    };
    const std::string searches = R"(scimldap_ldap_operations_total{op="search",result="success"})";
    const double slapd_before = completed();
    const double bridge_before = value_of(scrape(), searches);

    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(scim(bhttp::verb::get, "/Users?filter=userName%20eq%20%22nobody%22").status,
                  200u);
    }

    const double bridge_searches = value_of(scrape(), searches) - bridge_before;
    EXPECT_GE(bridge_searches, 5);
    // slapd also counts the admin's own reads of the monitor and the bridge's probes.
    EXPECT_GE(completed() - slapd_before, bridge_searches);
}

TEST_F(Metrics, MetricsListenerServesNothingElse) {
    std::string bearer = "Bearer ";
    bearer += bridge_fixture::default_token;
    std::map<std::string, std::string> headers;
    headers.emplace("Authorization", bearer);
    const auto r =
        http_request(bridge_->metrics_port(), bhttp::verb::get, "/scim/v2/Users", headers);
    EXPECT_EQ(r.status, 404u) << r.body;
}

}  // namespace
}  // namespace scimldap::testing
