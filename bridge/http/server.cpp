#include "bridge/http/server.hpp"

#include "bridge/http/descriptor_limit.hpp"
#include "bridge/http/session.hpp"
#include "bridge/http/tls_context.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scimldap::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
// After the grace period, cancelled sessions only have to unwind; this bounds that too.
constexpr std::chrono::seconds unwind_timeout{2};
// Accept fails fast when the process is out of descriptors; pause instead of spinning.
constexpr std::chrono::milliseconds accept_error_pause{100};

tcp::endpoint resolve_listen(asio::io_context& io, const mapping::listen_settings& listen) {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(listen.host, ec);
    if (!ec) {
        return {address, listen.port};
    }
    tcp::resolver resolver(io);
    const auto results =
        resolver.resolve(listen.host, std::to_string(listen.port), tcp::resolver::passive);
    return results.begin()->endpoint();
}

void log_session_end(std::exception_ptr e) {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const boost::system::system_error& se) {
        if (se.code() != asio::error::operation_aborted) {
            spdlog::warn("connection ended with an error: {}", se.what());
        }
    } catch (const std::exception& x) {
        spdlog::warn("connection ended with an error: {}", x.what());
    }
}

}  // namespace

server::server(asio::io_context& io, mapping::listen_settings listen,
               mapping::http_settings settings, request_handler handler,
               std::vector<asio::any_io_executor> session_executors)
    : io_(io),
      listen_(std::move(listen)),
      handler_(std::move(handler)),
      session_executors_(std::move(session_executors)),
      strand_(asio::make_strand(io)),
      acceptor_(strand_) {
    use_settings(std::move(settings));
}

server::~server() = default;

void server::use_settings(mapping::http_settings settings) {
    ensure_descriptors_for(settings.max_connections);
    env_.store(
        std::make_shared<const session_env>(session_env{std::move(settings), handler_, stopping_}));
}

void server::use_tls(std::shared_ptr<asio::ssl::context> tls) {
    tls_.store(std::move(tls));
}

void server::start() {
    if (listen_.tls && !tls_.load()) {
        tls_.store(std::make_shared<asio::ssl::context>(make_tls_context(*listen_.tls)));
    }
    const tcp::endpoint endpoint = resolve_listen(io_, listen_);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    endpoint_ = acceptor_.local_endpoint();
    spdlog::info("listening on {}:{}{}", endpoint_.address().to_string(), endpoint_.port(),
                 listen_.tls ? " (TLS)" : "");
    asio::co_spawn(strand_, accept_loop(), [](std::exception_ptr e) {
        if (e) {
            spdlog::critical("the accept loop stopped unexpectedly");
        }
    });
}

asio::any_io_executor server::next_session_executor() {
    if (session_executors_.empty()) {
        return asio::make_strand(io_);
    }
    return session_executors_[next_session_++ % session_executors_.size()];
}

asio::awaitable<void> server::accept_loop() {
    while (!stopping_.load()) {
        const asio::any_io_executor session_executor = next_session_executor();
        auto [ec, socket] = co_await acceptor_.async_accept(session_executor, no_throw);
        if (stopping_.load() || ec == asio::error::operation_aborted) {
            break;  // shutdown closed the acceptor; a connection accepted meanwhile is dropped
        }
        if (ec) {
            spdlog::warn("accept failed: {}", ec.message());
            asio::steady_timer pause(strand_, accept_error_pause);
            co_await pause.async_wait(no_throw);
            continue;
        }
        const std::size_t cap = env_.load()->settings.max_connections;
        if (sessions_.admitted() < cap) {
            spawn_session(tcp::socket(std::move(socket)), sessions_, false);
        } else if (sessions_.evict_oldest_unproven()) {
            // A connection that never presented a valid token makes room: otherwise anyone who
            // can open sockets could hold every slot (see docs/architecture.md).
            spdlog::debug("connection limit {} reached; closed the oldest unproven connection",
                          cap);
            spawn_session(tcp::socket(std::move(socket)), sessions_, false);
        } else if (rejected_.size() < cap) {
            // Over the cap the client still gets a real answer (503 + Retry-After) rather than
            // a connection that hangs in the backlog until its own timeout.
            spdlog::warn("connection limit {} reached; answering 503", cap);
            spawn_session(tcp::socket(std::move(socket)), rejected_, true);
        } else {
            spdlog::warn("connection limit reached twice over; closing a new connection");
        }
    }
}

void server::spawn_session(tcp::socket socket, session_registry& registry, bool reject) {
    const asio::any_io_executor executor = socket.get_executor();
    auto ticket = registry.add(executor);
    const session_mode mode = reject ? session_mode::reject : session_mode::serve;
    auto standing = std::shared_ptr<connection_standing>(ticket, &ticket->standing);
    auto session =
        listen_.tls ? run_tls_session(std::move(socket), tls_.load(), env_.load(), mode,
                                      std::move(standing))
                    : run_plain_session(std::move(socket), env_.load(), mode, std::move(standing));
    asio::co_spawn(executor, std::move(session),
                   asio::bind_cancellation_slot(ticket->signal.slot(),
                                                [&registry, ticket](std::exception_ptr e) {
                                                    registry.remove(ticket);
                                                    log_session_end(e);
                                                }));
}

asio::awaitable<void> server::shutdown() {
    stopping_.store(true);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Total cancellation reaches only sessions waiting for a request: idle keep-alive
    // connections close now, requests in flight run on.
    sessions_.cancel_all(asio::cancellation_type::total);
    rejected_.cancel_all(asio::cancellation_type::total);
    const std::chrono::milliseconds grace = env_.load()->settings.shutdown_grace;
    spdlog::info("shutting down: waiting up to {} ms for {} connection(s)", grace.count(),
                 sessions_.size());
    const bool drained =
        co_await sessions_.wait_empty(grace) && co_await rejected_.wait_empty(unwind_timeout);
    if (drained) {
        co_return;
    }
    spdlog::warn("shutdown grace period over; cancelling {} request(s) still running",
                 sessions_.size());
    sessions_.cancel_all(asio::cancellation_type::terminal);
    rejected_.cancel_all(asio::cancellation_type::terminal);
    co_await sessions_.wait_empty(unwind_timeout);
    co_await rejected_.wait_empty(unwind_timeout);
}

}  // namespace scimldap::http
