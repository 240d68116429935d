#include "bridge/http/session.hpp"

#include "bridge/http/access_log.hpp"
#include "bridge/http/audit_log.hpp"
#include "bridge/http/http_metrics.hpp"
#include "bridge/http/request_deadline.hpp"
#include "bridge/http/request_id.hpp"
#include "bridge/http/response_head.hpp"
#include "bridge/scim/error_response.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <limits>

namespace scimldap::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// Errors that are part of normal life (peer gone, timeout, shutdown) come back as values.
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

// After an early answer (413, 431, 400, 408) the rest of the request may still be arriving: a
// client that writes a whole 12 MB body before it reads anything. Closing with unread input
// makes the kernel send RST, which destroys the answer before the client has read it. So, as
// nginx's lingering close does, the session half-closes and reads and drops input until the
// client closes, at most linger_time in all and linger_quiet without a byte (nginx's defaults).
constexpr std::chrono::seconds linger_time{30};
constexpr std::chrono::seconds linger_quiet{5};
// How long a TLS peer gets to answer close_notify when nothing was left unread.
constexpr std::chrono::seconds tls_shutdown_timeout{1};

bool is_parse_error(const beast::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// The answer a failed read deserves; nullopt when nobody is left to answer (peer gone, timeout).
std::optional<scim::http_response> answer_for_read_error(const beast::error_code& ec,
                                                         const mapping::http_settings& s) {
    if (ec == bhttp::error::body_limit) {
        return scim::error_response(
            {scim::errc::payload_too_large,
             fmt::format("the request body exceeds the limit of {} bytes", s.max_body_bytes)});
    }
    if (ec == bhttp::error::header_limit) {
        // RFC 6585 §5.
        return scim::error_response(
            {scim::errc::header_fields_too_large,
             fmt::format("the request header exceeds the limit of {} bytes", s.max_header_bytes)});
    }
    if (is_parse_error(ec)) {
        return scim::error_response(
            {scim::errc::bad_request, "malformed HTTP request: " + ec.message()});
    }
    return std::nullopt;
}

template <class Stream>
beast::tcp_stream& lowest(Stream& stream) {
    return beast::get_lowest_layer(stream);
}

// Waits for the first byte of the next request. Only here may shutdown (total cancellation)
// interrupt the session: nothing of a request has arrived yet.
template <class Stream>
asio::awaitable<bool> await_next_request(Stream& stream, beast::flat_buffer& buffer,
                                         clock::time_point until) {
    if (buffer.size() > 0) {
        co_return true;  // a pipelined request is already buffered
    }
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    lowest(stream).expires_at(until);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), no_throw);
    buffer.commit(n);
    co_await asio::this_coro::reset_cancellation_state(asio::enable_terminal_cancellation());
    co_return !ec;
}

// Runs the application under the request deadline; a timeout or an escaped exception still
// produces a proper SCIM answer.
asio::awaitable<scim::http_response> call_handler(const session_env& env,
                                                  const scim::http_request& req,
                                                  exchange_info& info, request_deadline& watch,
                                                  clock::time_point deadline) {
    const auto executor = co_await asio::this_coro::executor;
    const asio::cancellation_state own = co_await asio::this_coro::cancellation_state;
    auto work = env.handler(req, info);
    auto token = asio::bind_cancellation_slot(watch.arm(deadline, own.slot()), no_throw);
    auto [failure, res] = co_await asio::co_spawn(executor, std::move(work), token);
    watch.disarm();
    if (!failure) {
        co_return std::move(res);
    }
    if (watch.expired()) {
        spdlog::warn("request {} exceeded the request timeout and was cancelled", info.request_id);
        co_return scim::error_response(
            {scim::errc::unavailable, "the request did not complete in time; retry later"});
    }
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        spdlog::error("request {} failed: {}", info.request_id, e.what());
    } catch (...) {
        spdlog::error("request {} failed with a non-standard exception", info.request_id);
    }
    co_return scim::error_response(
        {scim::errc::internal, "internal error; the server log has request id " + info.request_id});
}

// Parses what the first read already brought: a typical request (a GET, a small JSON body)
// arrives whole in one segment and needs no asynchronous read, whose completion Asio would
// post back through the scheduler. need_more is not an error here: the async reads go on
// from what is left in the buffer.
void parse_buffered(bhttp::request_parser<bhttp::string_body>& parser, beast::flat_buffer& buffer,
                    beast::error_code& ec) {
    while (!ec && buffer.size() > 0 && !parser.is_done()) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == bhttp::error::need_more) {
            ec = {};
            return;
        }
        if (used == 0) {
            return;
        }
    }
}

struct outcome {
    bool keep_alive;
    bool unread_input;
};

// One part of a request (the header, or the rest) read under the request_deadline rather than
// the stream's own expiry, which would close the socket: a request that stalls or trickles in
// is answered 408 before the connection closes. The connection's own cancellation (eviction,
// the end of the shutdown grace) is passed on to the read.
struct part_read {
    beast::error_code ec;
    bool timed_out = false;
};

enum class part { header, whole };

template <class Stream>
asio::awaitable<part_read> read_part(Stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::string_body>& parser,
                                     const connection_standing& standing, request_deadline& watch,
                                     clock::time_point deadline, part which) {
    if (standing.evicted()) {
        co_return part_read{asio::error::operation_aborted, false};
    }
    lowest(stream).expires_never();
    const asio::cancellation_state own = co_await asio::this_coro::cancellation_state;
    auto token = asio::bind_cancellation_slot(watch.arm(deadline, own.slot()), no_throw);
    part_read r;
    if (which == part::header) {
        std::tie(r.ec, std::ignore) =
            co_await bhttp::async_read_header(stream, buffer, parser, token);
    } else {
        std::tie(r.ec, std::ignore) = co_await bhttp::async_read(stream, buffer, parser, token);
    }
    watch.disarm();
    r.timed_out = r.ec && watch.expired();
    co_return r;
}

template <class Stream>
asio::awaitable<void> send_continue(Stream& stream, const scim::http_request& req,
                                    beast::error_code& ec) {
    // RFC 9110 §10.1.1: a client that sent Expect: 100-continue waits for this before the body.
    if (req.version() < 11 || !beast::iequals(req[bhttp::field::expect], "100-continue")) {
        co_return;
    }
    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, req.version()};
    std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, go_on, no_throw);
}

// A write request's audit line, written before its answer leaves: a client holding the answer
// finds the line.
template <class Stream>
void write_audit(Stream& stream, const exchange_info& info, const scim::http_request& req,
                 unsigned status) {
    if (!info.audit.has_lines() || !info.audit_to) {
        return;
    }
    beast::error_code ec;
    const auto peer = lowest(stream).socket().remote_endpoint(ec);
    const std::string client = ec ? std::string("-") : peer.address().to_string();
    info.audit_to->write({info, req.method_string(), req["X-Forwarded-For"], client, status,
                          std::chrono::system_clock::now()});
}

// header_deadline: when the request's header must be complete (counted from the connection's
// start for its first request, from the request's first byte for the later ones).
template <class Stream>
asio::awaitable<outcome> serve_one(Stream& stream, beast::flat_buffer& buffer,
                                   const session_env& env, session_mode mode,
                                   connection_standing& standing, request_deadline& watch,
                                   clock::time_point header_deadline) {
    const mapping::http_settings& s = env.settings;
    const clock::time_point started = clock::now();
    const clock::time_point deadline = started + s.request_timeout;
    exchange_info info;
    info.request_id = make_request_id();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(s.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(s.max_body_bytes);

    beast::error_code ec;
    parse_buffered(parser, buffer, ec);
    bool header_timed_out = false;
    if (!ec && !parser.is_header_done()) {
        const part_read r = co_await read_part(stream, buffer, parser, standing, watch,
                                               header_deadline, part::header);
        ec = r.ec;
        header_timed_out = r.timed_out;
    }
    if (!ec) {
        lowest(stream).expires_at(deadline);
        co_await send_continue(stream, parser.get(), ec);
    }
    bool body_timed_out = false;
    if (!ec && !parser.is_done()) {
        const part_read r =
            co_await read_part(stream, buffer, parser, standing, watch, deadline, part::whole);
        ec = r.ec;
        body_timed_out = r.timed_out;
    }
    // From here on an eviction no longer cancels the session (see connection_standing).
    standing.set_reading(false);
    const bool admitted = standing.try_begin_request();

    const bool have_header = parser.is_header_done();
    // Views into the request, which the parser keeps until this function returns.
    const std::string_view method =
        have_header ? std::string_view(parser.get().method_string()) : std::string_view("-");
    const std::string_view target =
        have_header ? std::string_view(parser.get().target()) : std::string_view("-");
    std::optional<scim::http_response> res;
    bool keep_alive = false;
    if (header_timed_out || body_timed_out) {
        // RFC 9110 §15.5.9: the request did not arrive whole in time; the rest may still come.
        res = scim::error_response({scim::errc::request_timeout,
                                    header_timed_out ? "the request header did not arrive in time"
                                                     : "the request body did not arrive in time"});
    } else if (ec) {
        res = answer_for_read_error(ec, s);
    } else if (mode == session_mode::reject || !admitted) {
        res = scim::error_response(
            {scim::errc::unavailable, "the server is at its connection limit; retry later"});
    } else {
        keep_alive = parser.get().keep_alive();
        const in_flight_request counted;
        res = co_await call_handler(env, parser.get(), info, watch, deadline);
    }
    if (!res) {
        co_return outcome{false, false};
    }

    // Once shutdown has begun, this is the connection's last response.
    keep_alive = keep_alive && !env.stopping.load();
    res->version(have_header ? parser.get().version() : 11);
    res->set("X-Request-Id", info.request_id);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (res->result() == bhttp::status::no_content) {
        // RFC 9110 §8.6: no Content-Length in a 204 (Beast's prepare_payload sets 0).
        res->erase(bhttp::field::content_length);
    }
    // Counted before the answer leaves: a client that has its answer sees it in the next scrape.
    record_request(info, have_header ? parser.get().method() : bhttp::verb::unknown,
                   res->result_int(), clock::now() - started);
    write_audit(stream, info, parser.get(), res->result_int());
    lowest(stream).expires_after(s.request_timeout);
    const std::string head = response_head(*res);
    const std::array<asio::const_buffer, 2> wire{asio::buffer(head), asio::buffer(res->body())};
    beast::error_code write_ec;
    std::tie(write_ec, std::ignore) = co_await asio::async_write(stream, wire, no_throw);
    log_access({info, method, target, res->result_int(), clock::now() - started});
    standing.end_request(info.authenticated);
    co_return outcome{keep_alive && !write_ec, static_cast<bool>(ec) && !write_ec};
}

// Serves requests until the connection should close; true when input was left unread.
template <class Stream>
asio::awaitable<bool> serve(Stream& stream, const session_env& env, session_mode mode,
                            connection_standing& standing, clock::time_point accepted) {
    beast::flat_buffer buffer;
    request_deadline watch(stream.get_executor());
    // The first request's header is due header_timeout after the connection was accepted, so a
    // client dribbling it gets no more than that in all.
    const clock::time_point first_deadline = accepted + env.settings.header_timeout;
    bool first = true;
    // An eviction's cancellation reaches only a wait in progress; one that came before the wait
    // began (even before the session started) is seen here, in the same executor step.
    while (!env.stopping.load() && !standing.evicted()) {
        standing.set_reading(true);
        const clock::time_point wait_until =
            first ? first_deadline : clock::now() + env.settings.idle_timeout;
        if (!co_await await_next_request(stream, buffer, wait_until)) {
            break;
        }
        const clock::time_point header_deadline =
            first ? first_deadline : clock::now() + env.settings.header_timeout;
        first = false;
        const outcome out =
            co_await serve_one(stream, buffer, env, mode, standing, watch, header_deadline);
        if (!out.keep_alive) {
            co_return out.unread_input;
        }
    }
    co_return false;
}

// Lingering close (see linger_time): half-close, then read and drop what the client still
// sends until it closes or goes quiet. Works on the TCP layer under TLS too: what is dropped
// need not be decrypted.
asio::awaitable<void> linger(beast::tcp_stream& stream, connection_standing& standing) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // The connection serves nothing more: it is the first to make room under the cap.
    standing.retire();
    standing.set_reading(true);
    const clock::time_point until = clock::now() + linger_time;
    std::array<char, 16384> scratch;
    while (!standing.evicted()) {
        stream.expires_at(std::min(until, clock::now() + linger_quiet));
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), no_throw);
        if (ec) {
            co_return;
        }
    }
}

asio::awaitable<void> close_connection(beast::tcp_stream& stream, bool unread_input,
                                       connection_standing& standing) {
    if (unread_input) {
        co_await linger(stream, standing);
        co_return;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> close_connection(tls_stream& stream, bool unread_input,
                                       connection_standing& standing) {
    if (unread_input) {
        // close_notify would have to wait for the peer's, behind the input still arriving; the
        // answer is complete without it (its length is in Content-Length).
        co_await linger(lowest(stream), standing);
        co_return;
    }
    // TLS close_notify; a peer that does not answer it is not waited for long.
    lowest(stream).expires_after(tls_shutdown_timeout);
    co_await stream.async_shutdown(no_throw);
}

}  // namespace

asio::awaitable<void> run_plain_session(tcp::socket socket, std::shared_ptr<const session_env> env,
                                        session_mode mode,
                                        std::shared_ptr<connection_standing> standing) {
    const clock::time_point accepted = clock::now();
    beast::tcp_stream stream(std::move(socket));
    const bool unread = co_await serve(stream, *env, mode, *standing, accepted);
    co_await close_connection(stream, unread, *standing);
}

asio::awaitable<void> run_tls_session(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls,
                                      std::shared_ptr<const session_env> env, session_mode mode,
                                      std::shared_ptr<connection_standing> standing) {
    const clock::time_point accepted = clock::now();
    tls_stream stream(beast::tcp_stream(std::move(socket)), *tls);
    if (standing->evicted()) {
        co_return;
    }
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    // The handshake counts against the first request's header timeout.
    lowest(stream).expires_at(accepted + env->settings.header_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, no_throw);
    co_await asio::this_coro::reset_cancellation_state(asio::enable_terminal_cancellation());
    if (ec) {
        spdlog::debug("TLS handshake failed: {}", ec.message());
        co_return;
    }
    const bool unread = co_await serve(stream, *env, mode, *standing, accepted);
    co_await close_connection(stream, unread, *standing);
}

}  // namespace scimldap::http
