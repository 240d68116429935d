// Clients that misbehave, against a real slapd (issue 13, points 5 and 6): a body far over the
// limit written before anything is read, pipelined requests, and sockets opened only to hold the
// connection cap. Headers and bodies dribbled in: ServerTimeouts in server_limits_test.cpp.
#include "bridge/scim/json_response.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace scimldap::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* people = "ou=People,dc=example,dc=org";

std::string user_body(std::string_view user_name, std::string_view display_name = "Test User") {
    json::object user{{"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                      {"userName", user_name},
                      {"displayName", display_name},
                      {"name", json::object{{"givenName", "Test"}, {"familyName", "User"}}}};
    return json::serialize(user);
}

std::string authorized_request(std::string_view method, std::string_view target,
                               std::string_view body = {}) {
    std::string r = std::string(method) + " " + std::string(target) +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                    bridge_fixture::default_token + "\r\n";
    if (!body.empty()) {
        r += "Content-Type: application/scim+json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n";
    }
    return r + "\r\n" + std::string(body);
}

std::optional<ldap::entry> user_entry(const slapd_launcher& slapd, const std::string& uid) {
    ldap_admin admin(slapd);
    return admin.read("uid=" + uid + "," + people);
}

// --- lingering close ------------------------------------------------------------------------

class ServerLingeringClose : public bridge_suite<ServerLingeringClose> {};

TEST_F(ServerLingeringClose, TwelveMegabyteBodyWrittenBeforeReadingStillGets413) {
    // As Python's http.client does: the whole request goes out before the answer is read. The
    // limit here is 64 KiB; the bridge answers 413 once the header has arrived.
    const std::string request = authorized_request(
        "POST", "/scim/v2/Users", user_body("linger.big", std::string(12 << 20, 'x')));
    raw_client client(bridge_->port());
    EXPECT_NO_THROW(client.send(request)) << "the bridge reset the connection under the upload";
    const raw_client::received r = client.read_until_closed();
    const std::string detail = expect_closing_scim_error(r, 413);
    EXPECT_NE(detail.find("exceeds the limit of 65536 bytes"), std::string::npos) << detail;
    EXPECT_FALSE(user_entry(*slapd_, "linger.big"));
}

// --- the same over TLS ----------------------------------------------------------------------
// The header deadline cancels a TLS read mid-record, and the lingering drain reads the TCP layer
// under the TLS stream.

class ServerTlsMisbehavingClients : public bridge_suite<ServerTlsMisbehavingClients> {
public:
    static bridge_options options(const slapd_launcher& slapd) {
        bridge_options o;
        o.tls = make_self_signed_certificate(slapd.dir());
        o.header_timeout = 300ms;
        return o;
    }
};

// A blocking TLS connection (certificate not verified: a throwaway one), written to and read
// from one thread.
class tls_client {
public:
    explicit tls_client(std::uint16_t port) {
        tls_.set_verify_mode(asio::ssl::verify_none);
        stream_.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
        const timeval limit{raw_client::patience.count() / 1000, 0};
        ::setsockopt(stream_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit,
                     sizeof limit);
        ::setsockopt(stream_.next_layer().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit,
                     sizeof limit);
        stream_.handshake(asio::ssl::stream_base::client);
    }
    void send(std::string_view text) { asio::write(stream_, asio::buffer(text)); }
    raw_client::received read_until_closed() {
        raw_client::received r{{}, raw_client::end::still_open};
        for (;;) {
            char chunk[4096];
            boost::system::error_code ec;
            const std::size_t n = stream_.read_some(asio::buffer(chunk), ec);
            r.bytes.append(chunk, n);
            if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
                r.how = raw_client::end::closed;  // FIN, with or without close_notify
                return r;
            }
            if (ec) {
                r.how = ec == asio::error::connection_reset ? raw_client::end::reset
                                                            : raw_client::end::still_open;
                return r;
            }
        }
    }

private:
    asio::io_context io_;
    asio::ssl::context tls_{asio::ssl::context::tls_client};
    asio::ssl::stream<asio::ip::tcp::socket> stream_{io_, tls_};
};

TEST_F(ServerTlsMisbehavingClients, HeaderDribbledOverTlsGets408AtTheHeaderTimeout) {
    tls_client client(bridge_->port());
    client.send("GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ");
    // One byte (one TLS record) every 20 ms for twice the header timeout.
    for (int i = 0; i < 30; ++i) {
        client.send("x");
        std::this_thread::sleep_for(20ms);
    }
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 408);
    EXPECT_NE(detail.find("header did not arrive in time"), std::string::npos) << detail;
}

TEST_F(ServerTlsMisbehavingClients, TwelveMegabyteBodyWrittenOverTlsBeforeReadingStillGets413) {
    const std::string request = authorized_request(
        "POST", "/scim/v2/Users", user_body("linger.tls", std::string(12 << 20, 'x')));
    tls_client client(bridge_->port());
    EXPECT_NO_THROW(client.send(request)) << "the bridge reset the connection under the upload";
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 413);
    EXPECT_NE(detail.find("exceeds the limit of 65536 bytes"), std::string::npos) << detail;
    EXPECT_FALSE(user_entry(*slapd_, "linger.tls"));
}

// --- pipelining -----------------------------------------------------------------------------

class ServerPipelining : public bridge_suite<ServerPipelining> {};

TEST_F(ServerPipelining, RequestsSentInOneWriteAreAnsweredInOrder) {
    raw_client client(bridge_->port());
    client.send(authorized_request("POST", "/scim/v2/Users", user_body("pipe.one")) +
                authorized_request("POST", "/scim/v2/Users", user_body("pipe.two")) +
                authorized_request("GET", "/scim/v2/Users?filter=userName%20eq%20%22pipe.one%22") +
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                authorized_request("GET", "/scim/v2/Users?filter=userName%20eq%20%22pipe.two%22"));
    std::vector<std::string> answers;
    for (int i = 0; i < 5; ++i) {
        answers.push_back(client.read_response());
    }

    ASSERT_TRUE(answers[0].starts_with("HTTP/1.1 201 ")) << answers[0];
    EXPECT_EQ(json::parse(response_body(answers[0])).at("userName"), "pipe.one");
    ASSERT_TRUE(answers[1].starts_with("HTTP/1.1 201 ")) << answers[1];
    EXPECT_EQ(json::parse(response_body(answers[1])).at("userName"), "pipe.two");
    ASSERT_TRUE(answers[2].starts_with("HTTP/1.1 200 ")) << answers[2];
    EXPECT_EQ(json::parse(response_body(answers[2])).at("Resources").at(0).at("userName"),
              "pipe.one");
    ASSERT_TRUE(answers[3].starts_with("HTTP/1.1 200 ")) << answers[3];
    EXPECT_EQ(json::parse(response_body(answers[3])).at("status"), "ok");
    ASSERT_TRUE(answers[4].starts_with("HTTP/1.1 200 ")) << answers[4];
    EXPECT_EQ(json::parse(response_body(answers[4])).at("Resources").at(0).at("userName"),
              "pipe.two");
    // Each answer carries its own request id.
    std::set<std::string> ids;
    for (const std::string& a : answers) {
        const std::size_t at = a.find("X-Request-Id: ");
        ASSERT_NE(at, std::string::npos) << a;
        ids.insert(a.substr(at, a.find("\r\n", at) - at));
    }
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_TRUE(user_entry(*slapd_, "pipe.one"));
    EXPECT_TRUE(user_entry(*slapd_, "pipe.two"));
}

// --- the connection cap ---------------------------------------------------------------------

class ServerConnectionEviction : public bridge_suite<ServerConnectionEviction> {
public:
    static constexpr std::size_t cap = 8;
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.max_connections = cap;
        o.header_timeout = 60s;  // only an eviction frees a dribbler's slot during a test
        return o;
    }
    // Requests that stay busy until the test lets them finish.
    static inline std::atomic<int> holding{0};
    static inline std::atomic<bool> release{false};
    static void add_routes(scim::router& routes) {
        routes.add(bhttp::verb::get, "/Hold",
                   [](scim::request_context&) -> asio::awaitable<scim::http_response> {
                       ++holding;
                       asio::steady_timer tick(co_await asio::this_coro::executor);
                       while (!release.load()) {
                           tick.expires_after(10ms);
                           co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
                       }
                       --holding;
                       co_return scim::json_response(200, json::value{{"held", true}});
                   });
    }
    void SetUp() override {
        ASSERT_TRUE(eventually([] { return bridge_->connections() == 0; }));
    }
    // A connection that sends half a request header and then nothing.
    static std::unique_ptr<raw_client> half_header() {
        auto c = std::make_unique<raw_client>(bridge_->port());
        c->send("GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        return c;
    }
};

TEST_F(ServerConnectionEviction, UnauthenticatedConnectionsAtTheCapMakeRoomForANewClient) {
    std::vector<std::unique_ptr<raw_client>> dribblers;
    for (std::size_t i = 0; i < cap; ++i) {
        dribblers.push_back(half_header());
    }
    ASSERT_TRUE(eventually([] { return bridge_->connections() == cap; }));

    const http_reply created =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                         user_body("evict.newcomer"));
    EXPECT_EQ(created.status, 201u) << created.body;
    EXPECT_EQ(created.json().at("userName"), "evict.newcomer");
    const auto e = user_entry(*slapd_, "evict.newcomer");
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "displayName"), std::vector<std::string>{"Test User"});

    // The oldest dribbler made room: closed without an answer.
    const raw_client::received oldest = dribblers.front()->read_until_closed();
    EXPECT_NE(oldest.how, raw_client::end::still_open);
    EXPECT_EQ(oldest.bytes, "");
}

TEST_F(ServerConnectionEviction, DribblersReconnectingAtTheCapAreShedOldestFirst) {
    std::vector<std::unique_ptr<raw_client>> first_wave;
    for (std::size_t i = 0; i < cap; ++i) {
        first_wave.push_back(half_header());
    }
    ASSERT_TRUE(eventually([] { return bridge_->connections() == cap; }));
    std::vector<std::unique_ptr<raw_client>> second_wave;
    for (std::size_t i = 0; i < cap; ++i) {
        second_wave.push_back(half_header());
    }
    for (auto& c : first_wave) {
        EXPECT_NE(c->read_until_closed().how, raw_client::end::still_open);
    }
    ASSERT_TRUE(eventually([] { return bridge_->connections() == cap; }));
    const http_reply listed =
        bridge_->request(bhttp::verb::get, "/scim/v2/Users?filter=userName%20eq%20%22nobody%22");
    EXPECT_EQ(listed.status, 200u) << listed.body;
    EXPECT_EQ(listed.json().at("totalResults"), 0);
}

TEST_F(ServerConnectionEviction, AuthenticatedKeepAliveConnectionKeepsItsSlotUnderAFlood) {
    raw_client idp(bridge_->port());
    idp.send(authorized_request("GET", "/scim/v2/Users?count=1"));
    const std::string before = idp.read_response();
    ASSERT_TRUE(before.starts_with("HTTP/1.1 200 ")) << before;

    // Three times as many dribblers as there are slots: they can only evict each other.
    std::vector<std::unique_ptr<raw_client>> flood;
    for (std::size_t i = 0; i < 3 * cap; ++i) {
        flood.push_back(half_header());
    }
    ASSERT_TRUE(eventually([] { return bridge_->connections() <= cap; }));

    idp.send(authorized_request("POST", "/scim/v2/Users", user_body("evict.keepalive")));
    const std::string after = idp.read_response();
    ASSERT_TRUE(after.starts_with("HTTP/1.1 201 ")) << after;
    EXPECT_EQ(json::parse(response_body(after)).at("userName"), "evict.keepalive");
    EXPECT_TRUE(user_entry(*slapd_, "evict.keepalive"));
}

TEST_F(ServerConnectionEviction, BusyConnectionsAtTheCapKeepWorkingWhileNewClientsGet503) {
    release = false;
    std::vector<std::future<http_reply>> busy;
    for (std::size_t i = 0; i < cap; ++i) {
        busy.push_back(std::async(std::launch::async, [] {
            return bridge_->request(bhttp::verb::get, "/scim/v2/Hold");
        }));
    }
    ASSERT_TRUE(eventually([] { return holding.load() == static_cast<int>(cap); }));

    const http_reply refused = bridge_->request(bhttp::verb::get, "/scim/v2/Users?count=1");
    EXPECT_EQ(refused.status, 503u) << refused.body;
    EXPECT_FALSE(refused.header("Retry-After").empty());
    EXPECT_EQ(refused.header("Connection"), "close");
    EXPECT_EQ(refused.json().at("status"), "503");

    release = true;
    for (auto& b : busy) {
        const http_reply r = b.get();
        EXPECT_EQ(r.status, 200u) << r.body;
        EXPECT_EQ(r.json().at("held"), true);
    }
}

}  // namespace
}  // namespace scimldap::testing
