// The HTTP server end to end: auth, probes, limits, routing and graceful shutdown against a real
// slapd; the binary's check and hash-token subcommands.
#include "bridge/scim/json_response.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

// Test routes: which tenant view the handler received, and a POST that accepts any body.
void add_test_routes(scim::router& routes) {
    routes.add(bhttp::verb::post, "/Echo",
               [](scim::request_context& ctx) -> boost::asio::awaitable<scim::http_response> {
                   co_return scim::json_response(201, ctx.request.body());
               });
    routes.add(bhttp::verb::get, "/Whoami",
               [](scim::request_context& ctx) -> boost::asio::awaitable<scim::http_response> {
                   co_return scim::json_response(
                       200, boost::json::value{{"tenant", ctx.tenant.name},
                                               {"users_base", ctx.tenant.users_base.str()}});
               });
}

class ServerAuth : public bridge_suite<ServerAuth> {
public:
    static void add_routes(scim::router& routes) { add_test_routes(routes); }
};

void expect_scim_error(const http_reply& r, unsigned status) {
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("schemas").as_array().at(0).as_string(),
              "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(body.at("status").as_string(), std::to_string(status));
    EXPECT_FALSE(body.at("detail").as_string().empty());
}

TEST_F(ServerAuth, NoAuthorizationHeaderIs401WithBareChallenge) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Whoami", "");
    expect_scim_error(r, 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"scim\"");
}

TEST_F(ServerAuth, WrongSchemeIs401InvalidToken) {
    const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/scim/v2/Whoami",
                                      {{"Authorization", "Basic dXNlcjpwYXNz"}});
    expect_scim_error(r, 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"scim\", error=\"invalid_token\"");
}

TEST_F(ServerAuth, WrongTokenIs401InvalidToken) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Whoami", "not-a-token");
    expect_scim_error(r, 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"scim\", error=\"invalid_token\"");
}

TEST_F(ServerAuth, EmptyBearerTokenIs401InvalidToken) {
    const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/scim/v2/Whoami",
                                      {{"Authorization", "Bearer "}});
    expect_scim_error(r, 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"scim\", error=\"invalid_token\"");
}

TEST_F(ServerAuth, EachTokenOpensOnlyItsTenant) {
    const http_reply d = bridge_->request(bhttp::verb::get, "/scim/v2/Whoami");
    ASSERT_EQ(d.status, 200u) << d.body;
    EXPECT_EQ(d.json().at("tenant").as_string(), "default");
    EXPECT_EQ(d.json().at("users_base").as_string(), "ou=People,dc=example,dc=org");

    const http_reply c =
        bridge_->request(bhttp::verb::get, "/scim/v2/Whoami", bridge_fixture::classlark_token);
    ASSERT_EQ(c.status, 200u) << c.body;
    EXPECT_EQ(c.json().at("tenant").as_string(), "classlark");
    EXPECT_EQ(c.json().at("users_base").as_string(), "ou=People,ou=classlark,dc=example,dc=org");
}

TEST_F(ServerAuth, ResponsesCarryARequestId) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Whoami");
    EXPECT_EQ(r.header("X-Request-Id").size(), 16u);
}

TEST_F(ServerAuth, HealthzAnswersWithoutAToken) {
    const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/healthz");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.json().at("status").as_string(), "ok");
}

TEST_F(ServerAuth, UnknownRouteIs404ScimError) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/NoSuchThing");
    expect_scim_error(r, 404);
}

TEST_F(ServerAuth, PathOutsideTheBasePathIs404ScimError) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/other/Whoami");
    expect_scim_error(r, 404);
}

TEST_F(ServerAuth, WrongMethodIs405WithAllow) {
    const http_reply r = bridge_->request(bhttp::verb::delete_, "/scim/v2/Whoami");
    expect_scim_error(r, 405);
    EXPECT_EQ(r.header("Allow"), "GET");
}

TEST_F(ServerAuth, BodyOverTheLimitIs413) {
    const std::string body(bridge_options{}.max_body_bytes + 1, 'x');
    const http_reply r =
        bridge_->request(bhttp::verb::post, "/scim/v2/Echo", bridge_fixture::default_token, body);
    expect_scim_error(r, 413);
    EXPECT_EQ(r.header("Connection"), "close");
}

TEST_F(ServerAuth, HeaderOverTheLimitIs431) {
    const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/scim/v2/Whoami",
                                      {{"X-Padding", std::string(20 * 1024, 'p')}});
    expect_scim_error(r, 431);
}

TEST_F(ServerAuth, TextBodyIs415) {
    const http_reply r = bridge_->request(bhttp::verb::post, "/scim/v2/Echo",
                                          bridge_fixture::default_token, "hello", "text/plain");
    expect_scim_error(r, 415);
}

// Okta's SCIM 2.0 SPEC test (2016 export) POSTs users without Content-Type (IDP-QUIRKS R17).
TEST_F(ServerAuth, JsonBodyWithoutContentTypeIsAccepted) {
    const http_reply r = http_request(
        bridge_->port(), bhttp::verb::post, "/scim/v2/Echo",
        {{"Authorization", std::string("Bearer ") + bridge_fixture::default_token}}, R"({"a":1})");
    EXPECT_EQ(r.status, 201u);
    EXPECT_EQ(r.body, R"({"a":1})");
}

TEST_F(ServerAuth, PlainJsonBodyIsAccepted) {
    const http_reply r =
        bridge_->request(bhttp::verb::post, "/scim/v2/Echo", bridge_fixture::default_token,
                         R"({"a":1})", "application/json; charset=utf-8");
    EXPECT_EQ(r.status, 201u);
    EXPECT_EQ(r.body, R"({"a":1})");
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
}

class ServerReadiness : public bridge_suite<ServerReadiness> {};

TEST_F(ServerReadiness, ReadyzFollowsTheDirectoryDownAndUp) {
    const auto readyz = [] { return http_request(bridge_->port(), bhttp::verb::get, "/readyz"); };
    ASSERT_EQ(readyz().status, 200u);

    slapd_->stop();
    ASSERT_TRUE(eventually([&] { return readyz().status == 503; }));
    const http_reply down = readyz();
    EXPECT_EQ(down.header("Retry-After"), "1");
    EXPECT_EQ(down.json().at("status").as_string(), "unavailable");
    // Liveness does not depend on the directory.
    EXPECT_EQ(http_request(bridge_->port(), bhttp::verb::get, "/healthz").status, 200u);

    slapd_->start();
    EXPECT_TRUE(eventually([&] { return readyz().status == 200; }));
}

// A handler that holds its request until the test releases it.
struct held_request {
    std::atomic<bool> entered{false};
    std::atomic<bool> released{false};
};

class ServerShutdown : public ::testing::Test {};

TEST_F(ServerShutdown, InFlightRequestCompletesAndNewConnectionsAreRefused) {
    slapd_launcher slapd;
    slapd.start();
    bridge_fixture bridge(slapd);
    held_request held;
    bridge.routes().add(
        bhttp::verb::get, "/Hold",
        [&held](scim::request_context&) -> boost::asio::awaitable<scim::http_response> {
            held.entered = true;
            boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
            while (!held.released) {
                tick.expires_after(5ms);
                co_await tick.async_wait(boost::asio::use_awaitable);
            }
            co_return scim::json_response(200, boost::json::value{{"held", "done"}});
        });
    bridge.start();
    const std::uint16_t port = bridge.port();

    auto in_flight = std::async(std::launch::async,
                                [&] { return bridge.request(bhttp::verb::get, "/scim/v2/Hold"); });
    ASSERT_TRUE(eventually([&] { return held.entered.load(); }));

    bridge.request_shutdown();
    EXPECT_TRUE(eventually([&] { return connection_refused(port); }));

    held.released = true;
    const http_reply r = in_flight.get();
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.json().at("held").as_string(), "done");
    EXPECT_EQ(r.header("Connection"), "close");
    bridge.wait_stopped();
}

// The built binary, run through the shell: exit status and combined output.
struct run_result {
    int status;
    std::string output;
};

run_result run_binary(const std::string& args, const std::string& environment = "") {
    const std::string command =
        environment + " " + std::string(SCIMLDAP_BRIDGE_BINARY) + " " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("cannot run " + command);
    }
    std::string output;
    char chunk[4096];
    while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) {
        output.append(chunk, n);
    }
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class ServerCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("scimldap-cli-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        const auto path = (dir_ / name).string();
        std::ofstream(path) << text;
        return path;
    }
    std::filesystem::path dir_;
};

TEST_F(ServerCli, TheServiceBinaryRunsOnJemallocWithItsBuiltInSettings) {
#ifdef SCIMLDAP_SANITIZED
    GTEST_SKIP() << "a sanitized build runs on ASan's allocator, not jemalloc";
#endif
    // jemalloc prints its options at exit when asked; the built-in ones must be in effect.
    const run_result r = run_binary("hash-token abc", "MALLOC_CONF=stats_print:true");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("Begin jemalloc statistics"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("opt.background_thread: true"), std::string::npos);
    EXPECT_NE(r.output.find("opt.dirty_decay_ms: 5000"), std::string::npos);
    EXPECT_NE(r.output.find("opt.muzzy_decay_ms: 0"), std::string::npos);
}

TEST_F(ServerCli, CheckAcceptsTheFixtureConfig) {
    const std::string file =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const run_result r = run_binary("check --config " + file);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "config OK: 2 tenants, 2 tokens\n");
}

TEST_F(ServerCli, CheckReportsEachErrorWithFileAndPath) {
    const std::string file = write("bad.json", R"({"ldap": {"uris": []}, "tenants": [],
                                                   "tokens": [], "listen": {"port": 0}})");
    const run_result r = run_binary("check --config " + file);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find(file + ": listen.port: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(file + ": tenants: "), std::string::npos) << r.output;
}

TEST_F(ServerCli, CheckWithoutConfigIsAUsageError) {
    EXPECT_EQ(run_binary("check").status, 2);
}

TEST_F(ServerCli, HashTokenPrintsTheSha256OfItsArgument) {
    const run_result r = run_binary("hash-token abc");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.output, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
}

TEST_F(ServerCli, HashTokenReadsStandardInputWithoutTheNewline) {
    const run_result r = run_binary("hash-token < " + write("token", "abc\n"));
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.output, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
}

TEST_F(ServerCli, HashTokenReadsAFile) {
    const run_result r = run_binary("hash-token --file " + write("token", "abc\n"));
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.output, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
}

}  // namespace
}  // namespace scimldap::testing

namespace scimldap::testing {
namespace {

TEST_F(ServerCli, ExplainPrintsTheLdifABodyBecomes) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body = write("user.json", R"({"userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
        "password": "t1meMa$heen", "active": false})");
    const run_result r = run_binary("explain --config " + config + " < " + body);
    EXPECT_EQ(r.status, 0) << r.output;
    for (const char* line :
         {"dn: uid=bjensen,ou=People,dc=example,dc=org\n", "objectClass: inetOrgPerson\n",
          "objectClass: scimBridgeObject\n", "uid: bjensen\n", "cn: Barbara Jensen\n",
          "sn: Jensen\n", "givenName: Barbara\n", "mail: bjensen@example.com\n",
          "pwdAccountLockedTime: 000001010000Z\n",
          // password.on_create inAdd: the password travels in the same add, shown only as a note.
          "# userPassword: the password, in the add as cleartext (not shown)"}) {
        EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
    }
    EXPECT_EQ(r.output.find("t1meMa$heen"), std::string::npos);        // never printed
    EXPECT_EQ(r.output.find("scimCreatePending"), std::string::npos);  // one add, nothing after
}

TEST_F(ServerCli, ExplainShowsTheRefusalAnInvalidBodyGets) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body =
        write("user.json", R"({"userName": "a@school.org", "userType": "Teacher"})");
    const run_result r = run_binary("explain --config " + config + " --tenant classlark < " + body);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find("400 invalidValue"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Event Manager"), std::string::npos) << r.output;
}

TEST_F(ServerCli, ExplainOfAResourceTypeTheProfileLacksNamesIt) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body = write("device.json", R"({"displayName": "printer-1"})");
    const run_result r = run_binary("explain --config " + config + " --resource Device < " + body);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find("has no resource type \"Device\""), std::string::npos) << r.output;
}

TEST_F(ServerCli, ExplainReverseTurnsAnLdifEntryIntoTheScimUser) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string entry = write("entry.ldif",
                                    "dn: uid=alice,ou=People,dc=example,dc=org\n"
                                    "objectClass: inetOrgPerson\nuid: alice\ncn: Alice Martin\n"
                                    "sn: Martin\nmail: alice@example.org\n"
                                    "entryUUID: 0b6e3f8c-1111-4a4a-9c9c-0123456789ab\n");
    const run_result r = run_binary("explain --config " + config + " --reverse < " + entry);
    ASSERT_EQ(r.status, 0) << r.output;
    const auto user = boost::json::parse(r.output).as_object();
    EXPECT_EQ(user.at("id"), "0b6e3f8c-1111-4a4a-9c9c-0123456789ab");
    EXPECT_EQ(user.at("userName"), "alice");
    EXPECT_EQ(user.at("name").at("familyName"), "Martin");
    EXPECT_EQ(user.at("emails").at(0).at("value"), "alice@example.org");
    EXPECT_EQ(user.at("active"), true);
}

TEST_F(ServerCli, ExplainSearchPrintsTheLdapSearchAFilterBecomes) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body = write("search.json", R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName eq \"b(j)ensen*\"", "attributes": ["emails"]})");
    const run_result r = run_binary("explain --config " + config + " --search < " + body);
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char* line :
         {"base: ou=People,dc=example,dc=org\n", "scope: sub\n",
          // RFC 4515: the value's parentheses and asterisk are escaped.
          "filter: "
          "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=b\\28j\\29ensen\\2a))\n",
          "attributes: entryUUID entryCSN mail uid\n", "size limit: 200\n",
          "key attributes: entryUUID uid\n"}) {
        EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
    }
    EXPECT_EQ(r.output.find("re-checked"), std::string::npos) << r.output;
}

TEST_F(ServerCli, ExplainSearchSaysWhenLdapAnswersASupersetThatIsRechecked) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body = write("search.json", R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "title gt \"m\"", "count": 0})");
    const run_result r = run_binary("explain --config " + config + " --search < " + body);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(
                  "filter: (&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*))\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("attributes: entryUUID title\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("checked against the SCIM filter"), std::string::npos) << r.output;
}

TEST_F(ServerCli, ExplainSearchShowsTheRefusalOfAnUnmappedAttribute) {
    const std::string config =
        write("config.json", bridge_config_json("ldap://127.0.0.1:389", (dir_ / "pw").string()));
    const std::string body = write("search.json", R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName eq \"a\" and nickname eq \"b\" and shoeSize gt 3"})");
    const run_result r = run_binary("explain --config " + config + " --search < " + body);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find("400 invalidFilter"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("shoeSize"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace scimldap::testing
