// One client connection: reads requests (limits, timeouts, keep-alive), hands each to the
// application and writes its response back.
#pragma once

#include "bridge/http/connection_standing.hpp"
#include "bridge/http/exchange.hpp"
#include "mapping/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>

namespace scimldap::http {

/// What the sessions of one server share. A session keeps the one current when it was
/// accepted (a reload gives later connections new limits); handler and stopping belong to the
/// server, which outlives its sessions.
struct session_env {
    mapping::http_settings settings;
    const request_handler& handler;
    const std::atomic<bool>& stopping;  // set at shutdown: finish the current request, then close
};

/// Over the connection cap a session still answers: it reads the request and replies 503.
enum class session_mode { serve, reject };

/// Runs on the socket's executor (its own strand, or a context one thread runs) until the peer
/// closes, a timeout fires or shutdown ends it. Total cancellation closes an idle connection;
/// terminal cancellation aborts anything (an eviction emits it only while the session reads).
/// The session moves `standing` along as requests arrive and are answered.
boost::asio::awaitable<void> run_plain_session(boost::asio::ip::tcp::socket socket,
                                               std::shared_ptr<const session_env> env,
                                               session_mode mode,
                                               std::shared_ptr<connection_standing> standing);

/// The same over TLS: handshake first (bounded by the header timeout). The session keeps its
/// context for its whole life, whatever context later connections get after a reload.
boost::asio::awaitable<void> run_tls_session(boost::asio::ip::tcp::socket socket,
                                             std::shared_ptr<boost::asio::ssl::context> tls,
                                             std::shared_ptr<const session_env> env,
                                             session_mode mode,
                                             std::shared_ptr<connection_standing> standing);

}  // namespace scimldap::http
