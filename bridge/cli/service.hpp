// The assembled daemon: the current generation (LDAP client, routes, auth, TLS context) and the
// HTTP server on one io_context per IO thread; reloadable.
#pragma once

#include "base/metrics.hpp"
#include "bridge/cli/generation.hpp"
#include "bridge/http/application.hpp"
#include "bridge/http/pipeline.hpp"
#include "bridge/http/server.hpp"
#include "bridge/scim/router.hpp"
#include "mapping/config.hpp"
#include "mapping/config_loader.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace scimldap::cli {

/// An IO thread's io_context, whose queued handlers can be dropped before it is destroyed.
class io_thread_context : public boost::asio::io_context {
public:
    using boost::asio::io_context::io_context;
    /// Shuts its services down (destroying queued handlers) without destroying them yet.
    void shut_down() { shutdown(); }
};

/// One running bridge: `serve` runs it until a signal; the integration tests run it in-process.
/// One io_context per IO thread (config.http.io_threads), each run by exactly that thread:
/// a connection lives on one of them (no strand needed) and the LDAP pool has connections on
/// each, so a request's LDAP work normally stays on its thread.
class service {
public:
    /// Receives sd_notify states ("READY=1", "RELOADING=1...", "STOPPING=1").
    using notifier = std::function<void(std::string_view)>;
    /// Reads the configuration again for a reload (file, environment, flags).
    using config_loader =
        std::function<boost::system::result<mapping::config, std::vector<mapping::config_error>>()>;

    /// Reads the secret and key files and builds everything, without connecting or listening.
    /// Throws std::runtime_error (unreadable or unprotected secret, bad token table).
    explicit service(mapping::config config, notifier notify = {});
    ~service();
    service(const service&) = delete;
    service& operator=(const service&) = delete;

    /// Where extra (test) handlers are registered; only before start(). They serve the first
    /// generation only: a reload builds the standard routes.
    scim::router& routes() { return current_.load()->pipeline.routes; }
    /// The first IO thread's context: the listener, signals and start-up/shutdown work.
    boost::asio::io_context& io() { return io_; }

    /// Asks for systemd watchdog pings (WATCHDOG=1) every half `interval`, sent only while every
    /// IO thread still runs its queue, so a wedged event loop gets the service restarted. Call
    /// before start().
    void watch(std::chrono::microseconds interval) { watchdog_ = interval; }

    /// Starts the LDAP client, binds the listener and runs the IO threads. READY=1 is sent
    /// once listening and the LDAP client is connected; STATUS= says whether the directory is
    /// reachable, and why not. Throws when the address cannot be bound.
    void start();

    /// Reloads (SIGHUP): loads the configuration with `load` and, if it is valid, its secret and
    /// key files readable and private, and (when the LDAP settings changed) the new LDAP client
    /// binds, makes it the one new requests get. Otherwise the running one keeps serving and
    /// the reason is logged. Requests in flight finish on the generation they started with.
    /// Thread-safe; returns at once (files are read on a helper thread, the switch is made on
    /// the first IO thread; one reload at a time).
    void reload(config_loader load);
    /// Opens the audit log file again by its path (SIGUSR1, after logrotate moved it away).
    /// Thread-safe.
    void reopen_logs() const;
    /// How many reloads were applied so far (the first generation is 0).
    std::uint64_t generation_number() const { return generation_number_.load(); }

    /// The port actually bound (after start()).
    std::uint16_t port() const;
    /// The metrics listener's bound port (after start()); 0 when metrics.listen is not set.
    std::uint16_t metrics_port() const;
    /// Client connections open right now: served plus those being refused over the cap.
    std::size_t connections() const {
        return server_->connections() + server_->refused_connections();
    }
    /// The current LDAP client has a bound connection (what /readyz reports).
    bool ready() const { return current_.load()->ldap->connected(); }

    /// Begins a graceful shutdown (see http::server::shutdown); thread-safe, idempotent.
    void request_shutdown();
    /// Blocks until shutdown has finished and the IO threads have exited.
    void wait();
    /// Stops every IO thread at once, without a graceful shutdown (a second signal).
    void stop_now();

private:
    boost::asio::awaitable<void> announce_ready();
    /// The watchdog pings and STATUS= updates, on io_.
    boost::asio::awaitable<void> supervise();
    /// One line for STATUS=: serving, or waiting for the directory and why.
    std::string status_line() const;
    boost::asio::awaitable<void> run_reloads();
    boost::asio::awaitable<void> reload_once(const config_loader& load);
    /// Loads and builds the next generation; nullptr (the reason logged) when it is refused.
    std::shared_ptr<generation> prepare(const config_loader& load,
                                        const std::shared_ptr<generation>& running);
    boost::asio::awaitable<bool> wait_connected(ldap::client& client,
                                                std::chrono::milliseconds timeout);
    void publish(std::shared_ptr<generation> next);
    boost::asio::awaitable<void> stop_everything();
    void notify(std::string_view state) const;
    /// Every IO thread's executor, the first thread's first.
    std::vector<boost::asio::any_io_executor> executors();
    std::shared_ptr<ldap::client> make_client(ldap::client_options options);

    notifier notify_;
    using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    io_thread_context io_;
    /// The contexts of IO threads 2..n (io_ is the first's).
    std::vector<std::unique_ptr<io_thread_context>> more_io_;
    std::vector<work_guard> work_;
    /// Where a reload reads and parses its files, so no IO thread waits for that.
    boost::asio::thread_pool reload_work_{1};
    /// The generation new requests get (also published, as its pipeline, in pipeline_).
    std::atomic<std::shared_ptr<generation>> current_;
    /// Clients of replaced generations: stopped at shutdown if a request still holds one.
    std::vector<std::weak_ptr<ldap::client>> retired_;  // on io_
    http::pipeline_slot pipeline_;
    http::application application_;
    std::unique_ptr<http::server> server_;
    /// metrics.listen: a listener that answers only GET /metrics (restart-only, like listen).
    std::unique_ptr<http::server> metrics_server_;
    std::vector<metrics::registry::collector_handle> metrics_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
    std::optional<std::chrono::microseconds> watchdog_;
    std::atomic<std::uint64_t> generation_number_{0};
    // Reloads asked for and not yet begun; the loop that runs them is on io_ (one at a time).
    std::optional<config_loader> pending_reload_;  // on io_
    bool reloading_ = false;                       // on io_
};

}  // namespace scimldap::cli
