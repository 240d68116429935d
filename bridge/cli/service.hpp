// The assembled daemon: LDAP client, router, auth and the HTTP server on one io_context per
// IO thread.
#pragma once

#include "bridge/auth/authenticator.hpp"
#include "bridge/http/application.hpp"
#include "bridge/http/server.hpp"
#include "bridge/ldap/ldap_client.hpp"
#include "bridge/scim/router.hpp"
#include "mapping/config.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace scimldap::cli {

/// One running bridge: `serve` runs it until a signal; the integration tests run it in-process.
/// An IO thread's io_context, whose queued handlers can be dropped before it is destroyed.
class io_thread_context : public boost::asio::io_context {
public:
    using boost::asio::io_context::io_context;
    /// Shuts its services down (destroying queued handlers) without destroying them yet.
    void shut_down() { shutdown(); }
};

/// One io_context per IO thread (config.http.io_threads), each run by exactly that thread:
/// a connection lives on one of them (no strand needed) and the LDAP pool has connections on
/// each, so a request's LDAP work normally stays on its thread.
class service {
public:
    /// Receives sd_notify states ("READY=1", "STOPPING=1").
    using notifier = std::function<void(std::string_view)>;

    /// Reads the LDAP password file and builds everything, without connecting or listening.
    /// Throws std::runtime_error (unreadable secret, bad token table).
    explicit service(mapping::config config, notifier notify = {});
    ~service();
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    /// Where SCIM handlers are registered; only before start().
    scim::router& routes() { return routes_; }
    /// The LDAP client handlers await (handlers capture it when registered).
    ldap::client& directory() { return *ldap_; }
    /// The first IO thread's context: the listener, signals and start-up/shutdown work.
    boost::asio::io_context& io() { return io_; }

    /// Starts the LDAP client, binds the listener and runs the IO threads. READY=1 is sent
    /// once listening and the LDAP client is connected. Throws when the address cannot be bound.
    void start();

    /// The port actually bound (after start()).
    std::uint16_t port() const;
    /// Client connections open right now: served plus those being refused over the cap.
    std::size_t connections() const {
        return server_->connections() + server_->refused_connections();
    }
    /// The LDAP client has a bound connection (what /readyz reports).
    bool ready() const { return ldap_->connected(); }

    /// Begins a graceful shutdown (see http::server::shutdown); thread-safe, idempotent.
    void request_shutdown();
    /// Blocks until shutdown has finished and the IO threads have exited.
    void wait();
    /// Stops every IO thread at once, without a graceful shutdown (a second signal).
    void stop_now();

private:
    boost::asio::awaitable<void> announce_ready();
    boost::asio::awaitable<void> stop_everything();
    void notify(std::string_view state) const;
    /// Every IO thread's executor, the first thread's first.
    std::vector<boost::asio::any_io_executor> executors();

    mapping::config config_;
    notifier notify_;
    using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    io_thread_context io_;
    /// The contexts of IO threads 2..n (io_ is the first's).
    std::vector<std::unique_ptr<io_thread_context>> more_io_;
    std::vector<work_guard> work_;
    std::unique_ptr<ldap::client> ldap_;
    scim::router routes_;
    auth::authenticator authenticator_;
    http::application application_;
    std::unique_ptr<http::server> server_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
};

}  // namespace scimldap::cli
