// The HTTP(S) listener: accepts connections, caps them, runs a session per connection and shuts
// down gracefully.
#pragma once

#include "bridge/http/exchange.hpp"
#include "bridge/http/session.hpp"
#include "bridge/http/session_registry.hpp"
#include "mapping/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace scimldap::http {

/// One listening socket and its sessions. Given session executors (each an io_context run by
/// one thread), connections are handed to them in turn; without, each session gets its own
/// strand of `io`, so any number of threads may run it.
class server {
public:
    server(boost::asio::io_context& io, mapping::listen_settings listen,
           mapping::http_settings settings, request_handler handler,
           std::vector<boost::asio::any_io_executor> session_executors = {});
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Binds, listens and starts accepting. With listen.tls and no context given by use_tls(),
    /// makes one from the files. Throws boost::system::system_error when the address cannot be
    /// bound, std::runtime_error when the TLS files cannot be used.
    void start();

    /// The limits and timeouts of connections accepted from now on (a reload); the connection
    /// cap and the shutdown grace apply at once. Thread-safe.
    void use_settings(mapping::http_settings settings);

    /// The TLS context connections accepted from now on handshake with (a reload's renewed
    /// certificate); connections already open keep theirs. Thread-safe. Only for a listener
    /// configured with listen.tls: whether the port speaks TLS does not change while it runs.
    void use_tls(std::shared_ptr<boost::asio::ssl::context> tls);

    /// The bound address (the real port when the config asked for port 0).
    boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }

    /// Graceful shutdown: stop accepting, close idle connections, let in-flight requests finish
    /// within shutdown_grace, then cancel whatever is left. Spawn it on executor().
    boost::asio::awaitable<void> shutdown();

    /// The strand the acceptor lives on (and shutdown() runs on).
    boost::asio::strand<boost::asio::io_context::executor_type> executor() const { return strand_; }

    /// Connections being served (at most max_connections); thread-safe.
    std::size_t connections() const { return sessions_.size(); }
    /// Connections over the cap, being answered 503; thread-safe.
    std::size_t refused_connections() const { return rejected_.size(); }

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::any_io_executor next_session_executor();
    void spawn_session(boost::asio::ip::tcp::socket socket, session_registry& registry,
                       bool reject);

    boost::asio::io_context& io_;
    mapping::listen_settings listen_;
    request_handler handler_;
    std::vector<boost::asio::any_io_executor> session_executors_;
    std::size_t next_session_ = 0;  // on strand_
    std::atomic<bool> stopping_{false};
    std::atomic<std::shared_ptr<const session_env>> env_;
    std::atomic<std::shared_ptr<boost::asio::ssl::context>> tls_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp::endpoint endpoint_;
    session_registry sessions_;
    session_registry rejected_;  // connections over the cap, being answered 503
};

}  // namespace scimldap::http
