// The HTTP server's limits against a real slapd: connection cap, header/idle/request timeouts,
// a shutdown whose grace period runs out, and TLS. Timeouts are small so each test is short.
#include "bridge/scim/json_response.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <thread>

namespace scimldap::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::chrono::milliseconds patience = raw_client::patience;

void expect_unavailable(const http_reply& r) {
    EXPECT_EQ(r.status, 503u) << r.body;
    EXPECT_FALSE(r.header("Retry-After").empty());
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
    EXPECT_EQ(r.json().at("status").as_string(), "503");
}

// --- connection cap -------------------------------------------------------------------------

class ServerConnectionCap : public bridge_suite<ServerConnectionCap> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.max_connections = 1;
        return o;
    }
};

TEST_F(ServerConnectionCap, ConnectionOverACapHeldByAnAuthenticatedClientGets503UntilItCloses) {
    // The readiness probes' connections are gone before the one slot is taken.
    ASSERT_TRUE(eventually([] { return bridge_->connections() == 0; }));
    // A keep-alive connection that has made an authenticated request keeps its slot (one that
    // has not would make room: ServerConnectionEviction).
    raw_client holder(bridge_->port());
    holder.send("GET /scim/v2/Users?count=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                std::string(bridge_fixture::default_token) + "\r\n\r\n");
    const std::string held = holder.read_response();
    ASSERT_TRUE(held.starts_with("HTTP/1.1 200 ")) << held;
    ASSERT_EQ(bridge_->connections(), 1u);

    const http_reply refused = http_request(bridge_->port(), bhttp::verb::get, "/healthz");
    expect_unavailable(refused);
    EXPECT_EQ(refused.header("Connection"), "close");

    holder.close();
    EXPECT_TRUE(eventually(
        [] { return http_request(bridge_->port(), bhttp::verb::get, "/healthz").status == 200; }));
}

// --- timeouts -------------------------------------------------------------------------------

class ServerTimeouts : public bridge_suite<ServerTimeouts> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.header_timeout = 200ms;
        o.idle_timeout = 200ms;
        o.request_timeout = 300ms;
        return o;
    }
    // A handler that would answer long after the request timeout (like a stuck directory).
    static void add_routes(scim::router& routes) {
        routes.add(bhttp::verb::get, "/Slow",
                   [](scim::request_context&) -> asio::awaitable<scim::http_response> {
                       asio::steady_timer later(co_await asio::this_coro::executor, 60s);
                       co_await later.async_wait(asio::use_awaitable);
                       co_return scim::json_response(200, boost::json::value{{"late", true}});
                   });
    }
};

TEST_F(ServerTimeouts, HalfAHeaderGets408AfterTheHeaderTimeout) {
    raw_client client(bridge_->port());
    client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // no blank line: unfinished
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 408);
    EXPECT_NE(detail.find("header did not arrive in time"), std::string::npos) << detail;
}

TEST_F(ServerTimeouts, ConnectionThatSendsNothingIsClosedAfterTheHeaderTimeoutWithoutAnAnswer) {
    raw_client client(bridge_->port());
    const raw_client::received r = client.read_until_closed();
    EXPECT_EQ(r.how, raw_client::end::closed);
    EXPECT_EQ(r.bytes, "");  // no request was started: there is nothing to answer
}

TEST_F(ServerTimeouts, StalledBodyGets408AndTheConnectionClosed) {
    raw_client client(bridge_->port());
    // The header promises 100 bytes; 10 arrive and then nothing (RFC 9110 §15.5.9).
    client.send(
        "POST /scim/v2/Users/.search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/scim+json\r\nContent-Length: 100\r\n\r\n"
        "{\"schemas\":");
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 408);
    EXPECT_NE(detail.find("body did not arrive in time"), std::string::npos) << detail;
}

TEST_F(ServerTimeouts, HeaderDribbledByteByByteGets408AtTheHeaderTimeout) {
    // Before the connect: the server's header timer starts at the accept, which the client's
    // constructor may return after (a bound taken later failed by 16 µs once).
    const auto started = std::chrono::steady_clock::now();
    raw_client client(bridge_->port());
    // A header that would take 40 s at this pace (slowloris): each byte arrives well within any
    // per-read timeout, so only a limit on the whole header stops it.
    const dribbler slowloris(
        client,
        "GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + std::string(2000, 'x'),
        20ms);
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 408);
    EXPECT_NE(detail.find("header did not arrive in time"), std::string::npos) << detail;
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms) << "before the header timeout";
}

TEST_F(ServerTimeouts, BodyDribbledByteByByteGets408AtTheRequestTimeoutAndWritesNothing) {
    const std::string body =
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"slow.body"})";
    raw_client client(bridge_->port());
    client.send("POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                std::string(bridge_fixture::default_token) +
                "\r\nContent-Type: application/scim+json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
    // The rest would take 1.5 s at this pace; the request timeout is 300 ms.
    const dribbler slow(client, body.substr(10), 20ms);
    const std::string detail = expect_closing_scim_error(client.read_until_closed(), 408);
    EXPECT_NE(detail.find("body did not arrive in time"), std::string::npos) << detail;
    ldap_admin admin(*slapd_);
    EXPECT_FALSE(admin.read("uid=slow.body,ou=People,dc=example,dc=org"));
}

TEST_F(ServerTimeouts, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    raw_client client(bridge_->port());
    client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const raw_client::received r = client.read_until_closed();
    EXPECT_EQ(r.how, raw_client::end::closed);
    EXPECT_TRUE(r.bytes.starts_with("HTTP/1.1 200 ")) << r.bytes;
    // The answer kept the connection open; the server closed it only once it sat idle.
    EXPECT_EQ(r.bytes.find("Connection: close"), std::string::npos) << r.bytes;
}

TEST_F(ServerTimeouts, HandlerPastTheRequestTimeoutGets503) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/Slow");
    expect_unavailable(r);
    EXPECT_NE(r.json().at("detail").as_string().find("did not complete in time"),
              std::string::npos);
}

// --- request framing ------------------------------------------------------------------------
// A request that arrives whole is parsed from the first read; the rest still works: requests
// pipelined in one segment, and a body that comes after its header (Expect: 100-continue makes
// that deterministic: the client sends the body only once the server has answered 100).

class ServerRequestFraming : public bridge_suite<ServerRequestFraming> {};

std::string search_request_with(std::string_view extra_headers, std::string_view body) {
    return "POST /scim/v2/Users/.search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Authorization: Bearer " +
           std::string(bridge_fixture::default_token) +
           "\r\nContent-Type: application/scim+json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + std::string(extra_headers) + "\r\n";
}

constexpr std::string_view search_body =
    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":0})";

TEST_F(ServerRequestFraming, TwoRequestsInOneSegmentAreAnsweredInOrder) {
    raw_client client(bridge_->port());
    client.send(
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        "GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string first = client.read_response();
    const std::string second = client.read_response();
    EXPECT_TRUE(first.starts_with("HTTP/1.1 200 ")) << first;
    EXPECT_TRUE(second.starts_with("HTTP/1.1 401 ")) << second;  // no token on the second
}

TEST_F(ServerRequestFraming, ExpectContinueGets100BeforeTheBodyIsSent) {
    raw_client client(bridge_->port());
    client.send(search_request_with("Expect: 100-continue\r\n", search_body));
    const std::string go_on = client.read_some(25);
    EXPECT_EQ(go_on, "HTTP/1.1 100 Continue\r\n\r\n");
    client.send(search_body);
    const std::string reply = client.read_response();
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 ")) << reply;
}

// --- shutdown grace -------------------------------------------------------------------------

class ServerShutdownGrace : public ::testing::Test {};

TEST_F(ServerShutdownGrace, HandlerThatNeverFinishesDoesNotHoldTheServiceAfterTheGrace) {
    slapd_launcher slapd;
    slapd.start();
    std::atomic<bool> entered{false};
    // Declared before the bridge: the client's connection dies with the bridge, then the
    // client returns.
    std::future<int> in_flight;
    bridge_options options;
    options.shutdown_grace = 300ms;
    auto bridge = std::make_unique<bridge_fixture>(slapd, options);
    bridge->routes().add(
        bhttp::verb::get, "/Forever",
        [&entered](scim::request_context&) -> asio::awaitable<scim::http_response> {
            // Deaf to cancellation: only the end of the io_context ends this handler.
            co_await asio::this_coro::throw_if_cancelled(false);
            co_await asio::this_coro::reset_cancellation_state(
                [](asio::cancellation_type) { return asio::cancellation_type::none; });
            entered = true;
            asio::steady_timer tick(co_await asio::this_coro::executor);
            for (;;) {
                tick.expires_after(50ms);
                co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
            }
        });
    bridge->start();
    in_flight = std::async(std::launch::async, [&bridge] {
        try {
            return static_cast<int>(bridge->request(bhttp::verb::get, "/scim/v2/Forever").status);
        } catch (const std::exception&) {
            return -1;  // the connection ended without an answer
        }
    });
    ASSERT_TRUE(eventually([&] { return entered.load(); }));

    bridge->request_shutdown();
    auto stopped = std::async(std::launch::async, [&bridge] { bridge->wait_stopped(); });
    EXPECT_EQ(stopped.wait_for(patience), std::future_status::ready);
    bridge.reset();
    EXPECT_NE(in_flight.get(), 200);
}

TEST_F(ServerShutdownGrace, HandlerStillRunningAfterTheGraceIsCancelled) {
    slapd_launcher slapd;
    slapd.start();
    std::atomic<bool> entered{false};
    std::atomic<bool> cancelled{false};
    std::future<void> in_flight;
    bridge_options options;
    options.shutdown_grace = 300ms;
    auto bridge = std::make_unique<bridge_fixture>(slapd, options);
    bridge->routes().add(
        bhttp::verb::get, "/Long",
        [&entered, &cancelled](scim::request_context&) -> asio::awaitable<scim::http_response> {
            entered = true;
            asio::steady_timer later(co_await asio::this_coro::executor, 60s);
            auto [ec] = co_await later.async_wait(asio::as_tuple(asio::use_awaitable));
            cancelled = ec == asio::error::operation_aborted;
            co_return scim::json_response(200, boost::json::value{{"late", true}});
        });
    bridge->start();
    in_flight = std::async(std::launch::async, [&bridge] {
        try {
            bridge->request(bhttp::verb::get, "/scim/v2/Long");
        } catch (const std::exception&) {
        }
    });
    ASSERT_TRUE(eventually([&] { return entered.load(); }));

    // The session's terminal cancellation reaches the handler through its request deadline.
    bridge->request_shutdown();
    auto stopped = std::async(std::launch::async, [&bridge] { bridge->wait_stopped(); });
    EXPECT_EQ(stopped.wait_for(patience), std::future_status::ready);
    EXPECT_TRUE(cancelled.load());
    bridge.reset();
    in_flight.get();
}

// --- the client fails at every step ---------------------------------------------------------
// Beast's fail_count idea from the peer's side: for every N, the client vanishes after the N-th
// byte of its request (FIN or RST), or after the N-th byte of the answer. No session may leak
// or hang, and the server keeps answering.

class ServerFailMatrix : public bridge_suite<ServerFailMatrix> {
public:
    static bridge_options options(const slapd_launcher&) { return {}; }
    static void add_routes(scim::router& routes) {
        routes.add(bhttp::verb::post, "/Echo",
                   [](scim::request_context& ctx) -> asio::awaitable<scim::http_response> {
                       co_return scim::json_response(201, ctx.request.body());
                   });
    }
    static std::string echo_request() {
        const std::string body = R"({"fail":"matrix"})";
        return "POST /scim/v2/Echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
               std::string(bridge_fixture::default_token) +
               "\r\nContent-Type: application/scim+json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    // Polled every millisecond: the matrix runs a few hundred cases.
    static bool connections_become(std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + patience;
        while (bridge_->connections() != n) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }
    static void expect_still_serving() {
        const http_reply r = bridge_->request(bhttp::verb::post, "/scim/v2/Echo",
                                              bridge_fixture::default_token, R"({"ok":1})");
        EXPECT_EQ(r.status, 201u);
        EXPECT_EQ(r.body, R"({"ok":1})");
    }
};

TEST_F(ServerFailMatrix, ClientVanishingAfterAnyRequestByteLeaksNoSession) {
    const std::string request = echo_request();
    for (std::size_t n = 0; n <= request.size(); ++n) {
        for (const bool abort : {false, true}) {
            SCOPED_TRACE("after " + std::to_string(n) + " bytes, " + (abort ? "RST" : "FIN"));
            raw_client client(bridge_->port());
            // Accepted and waiting for its request: the session the step below must end.
            ASSERT_TRUE(connections_become(1));
            client.send(std::string_view(request).substr(0, n));
            abort ? client.reset() : client.close();
            ASSERT_TRUE(connections_become(0)) << bridge_->connections() << " still open";
        }
    }
    expect_still_serving();
}

TEST_F(ServerFailMatrix, ClientVanishingAfterAnyResponseByteLeaksNoSession) {
    const std::string request = echo_request();
    std::string whole;
    {
        raw_client client(bridge_->port());
        client.send(request);
        whole = client.read_response();
    }
    ASSERT_TRUE(whole.starts_with("HTTP/1.1 201 ")) << whole;
    for (std::size_t n = 0; n < whole.size(); n += 7) {
        SCOPED_TRACE("after " + std::to_string(n) + " response bytes");
        raw_client client(bridge_->port());
        client.send(request);
        EXPECT_EQ(client.read_some(n).size(), n);
        client.reset();
        ASSERT_TRUE(connections_become(0)) << bridge_->connections() << " still open";
    }
    expect_still_serving();
}

// --- TLS ------------------------------------------------------------------------------------

class ServerTls : public bridge_suite<ServerTls> {
public:
    static bridge_options options(const slapd_launcher& slapd) {
        bridge_options o;
        o.tls = make_self_signed_certificate(slapd.dir());
        return o;
    }
};

TEST_F(ServerTls, AnswersHttps) {
    EXPECT_EQ(https_request(bridge_->port(), bhttp::verb::get, "/healthz").status, 200u);
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/ServiceProviderConfig");
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("schemas").as_array().at(0).as_string(),
              "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
}

TEST_F(ServerTls, RefusesPlainHttp) {
    raw_client client(bridge_->port());
    client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const raw_client::received r = client.read_until_closed();
    EXPECT_NE(r.how, raw_client::end::still_open);
    EXPECT_FALSE(r.bytes.starts_with("HTTP/")) << r.bytes;
}

}  // namespace
}  // namespace scimldap::testing
