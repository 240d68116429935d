#include "bridge/cli/service.hpp"

#include "bridge/cli/config_reload.hpp"
#include "bridge/cli/logging_setup.hpp"
#include "bridge/cli/process_metrics.hpp"
#include "bridge/cli/thread_cache_release.hpp"
#include "bridge/http/metrics_endpoint.hpp"
#include "bridge/scim/error_response.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <time.h>

#include <stdexcept>

namespace scimldap::cli {

namespace asio = boost::asio;

namespace {

// How often start-up (and a reload that opened new LDAP connections) checks whether the LDAP
// client has connected.
constexpr std::chrono::milliseconds ready_poll_interval{50};

// How often each IO thread looks whether it is quiet enough to hand its allocator cache back:
// jemalloc's dirty_decay_ms (bridge/allocator_config.cpp), so a burst's memory is back within
// about two of these.
constexpr std::chrono::seconds thread_cache_check{5};

/// The contexts of IO threads 2..n: each thread runs its own (concurrency hint 1).
std::vector<std::unique_ptr<io_thread_context>> more_contexts(std::size_t io_threads) {
    std::vector<std::unique_ptr<io_thread_context>> out;
    for (std::size_t i = 1; i < io_threads; ++i) {
        out.push_back(std::make_unique<io_thread_context>(1));
    }
    return out;
}

constexpr std::string_view still_serving = "still serving the previous configuration";

metrics::family<metrics::counter>& reload_results() {
    static auto& f = metrics::registry::global().counters(
        "scimldap_config_reloads_total", "Configuration reloads (SIGHUP) by result", {"result"});
    return f;
}

// The metrics listener's application: /metrics, nothing else.
http::request_handler metrics_only() {
    return [](const scim::http_request& req,
              http::exchange_info& info) -> asio::awaitable<scim::http_response> {
        if (!http::is_metrics_target(req.target())) {
            co_return scim::error_response(
                {scim::errc::not_found, "this listener serves /metrics only"});
        }
        info.endpoint = "/metrics";
        co_return http::metrics_response(req, {});
    };
}

// sd_notify(5): RELOADING=1 carries the monotonic time the reload began.
std::string reloading_state() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 +
                      static_cast<std::uint64_t>(now.tv_nsec) / 1'000;
    return "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
}

}  // namespace

service::service(mapping::config config, notifier notify)
    : notify_(std::move(notify)),
      io_(1),
      more_io_(more_contexts(config.http.io_threads)),
      application_(pipeline_) {
    // The generation makes the listener's TLS context (from the expanded file paths).
    const mapping::listen_settings listen = config.listen;
    const mapping::http_settings http = config.http;
    publish(make_generation(std::move(config), nullptr,
                            [this](ldap::client_options o) { return make_client(std::move(o)); }));
    const auto metrics = current_.load()->config.metrics;
    server_ =
        std::make_unique<http::server>(io_, listen, http, application_.handler(), executors());
    server_->use_tls(current_.load()->tls);
    if (metrics && metrics->listen) {
        metrics_server_ = std::make_unique<http::server>(io_, *metrics->listen,
                                                         mapping::http_settings{}, metrics_only());
    }
    register_process_metrics();
    reload_results().with({"applied"});  // listed at zero from the first scrape
    reload_results().with({"refused"});
    auto& r = metrics::registry::global();
    metrics_.push_back(
        r.add({"scimldap_http_connections",
               "Client connections open (served, and refused over the cap)",
               metrics::kind::gauge,
               {},
               [this] {
                   return std::vector<metrics::sample>{{{}, static_cast<double>(connections())}};
               }}));
}

service::~service() {
    if (!threads_.empty()) {
        request_shutdown();
        wait();
    }
    reload_work_.join();  // a reload being prepared finishes before anything it uses goes
    // A handler still queued on one context can hold the LDAP client, whose connections live on
    // every context: each context drops its handlers while all of them still exist (destroying
    // the contexts one by one freed a context's strands and reactor while another's handlers
    // still referred to them: valgrind showed it at every shutdown).
    io_.shut_down();
    for (const auto& io : more_io_) {
        io->shut_down();
    }
    // The generations (and their LDAP clients) go before the contexts their handlers ran on.
    metrics_.clear();
    metrics_server_.reset();
    server_.reset();
    pipeline_.store(nullptr);
    current_.store(nullptr);
}

std::vector<asio::any_io_executor> service::executors() {
    std::vector<asio::any_io_executor> out{io_.get_executor()};
    for (const auto& io : more_io_) {
        out.emplace_back(io->get_executor());
    }
    return out;
}

std::shared_ptr<ldap::client> service::make_client(ldap::client_options options) {
    return std::make_shared<ldap::client>(executors(), std::move(options));
}

void service::publish(std::shared_ptr<generation> next) {
    // The pipeline shares ownership of its whole generation (aliasing constructor): a request
    // holding it keeps the LDAP client its handlers use.
    std::shared_ptr<const http::pipeline> pipeline(next, &next->pipeline);
    if (server_) {
        server_->use_settings(next->config.http);
        if (next->tls) {
            server_->use_tls(next->tls);
        }
    }
    current_.store(std::move(next));
    pipeline_.store(std::move(pipeline));
}

void service::reopen_logs() const {
    if (const auto running = current_.load(); running && running->pipeline.audit) {
        running->pipeline.audit->reopen();
    }
}

void service::start() {
    current_.load()->ldap->start();
    server_->start();
    if (metrics_server_) {
        metrics_server_->start();
        spdlog::info("metrics: listening on {}:{}",
                     metrics_server_->local_endpoint().address().to_string(), metrics_port());
    }
    work_.emplace_back(io_.get_executor());
    for (const auto& io : more_io_) {
        work_.emplace_back(io->get_executor());
    }
    asio::co_spawn(io_, announce_ready(), asio::detached);
    if (notify_) {
        asio::co_spawn(io_, supervise(), asio::detached);
    }
    asio::co_spawn(io_, release_thread_cache_when_quiet(thread_cache_check), asio::detached);
    for (const auto& io : more_io_) {
        asio::co_spawn(*io, release_thread_cache_when_quiet(thread_cache_check), asio::detached);
    }
    threads_.emplace_back([this] { io_.run(); });
    for (const auto& io : more_io_) {
        threads_.emplace_back([context = io.get()] { context->run(); });
    }
}

void service::stop_now() {
    io_.stop();
    for (const auto& io : more_io_) {
        io->stop();
    }
}

std::uint16_t service::port() const {
    return server_->local_endpoint().port();
}

std::uint16_t service::metrics_port() const {
    return metrics_server_ ? metrics_server_->local_endpoint().port() : 0;
}

void service::request_shutdown() {
    if (stopping_.exchange(true)) {
        return;
    }
    asio::co_spawn(server_->executor(), stop_everything(), asio::detached);
}

void service::wait() {
    for (std::thread& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
    threads_.clear();
}

void service::reload(config_loader load) {
    asio::post(io_, [this, load = std::move(load)]() mutable {
        pending_reload_ = std::move(load);
        if (!reloading_) {
            reloading_ = true;
            asio::co_spawn(io_, run_reloads(), asio::detached);
        }
    });
}

asio::awaitable<void> service::run_reloads() {
    // A SIGHUP that arrives during a reload is run after it (with the latest loader).
    while (pending_reload_ && !stopping_.load()) {
        const config_loader load = std::move(*pending_reload_);
        pending_reload_.reset();
        notify(reloading_state());
        co_await reload_once(load);
        // Serving again, on the new configuration or still on the old one.
        notify("READY=1");
    }
    reloading_ = false;
}

std::shared_ptr<generation> service::prepare(const config_loader& load,
                                             const std::shared_ptr<generation>& running) {
    auto loaded = load();
    if (!loaded) {
        for (const mapping::config_error& e : loaded.error()) {
            spdlog::error("reload refused: {}", e.to_string());
        }
        spdlog::error("reload refused: {} error(s); {}", loaded.error().size(), still_serving);
        return nullptr;
    }
    mapping::config next = std::move(*loaded);
    for (const std::string& key : keep_restart_only_settings(running->config, next)) {
        spdlog::warn(
            "reload: {} changed: needs a restart to take effect; keeping the running value", key);
    }
    try {
        return make_generation(std::move(next), running.get(), [this](ldap::client_options o) {
            return make_client(std::move(o));
        });
    } catch (const std::exception& e) {
        spdlog::error("reload refused: {}; {}", e.what(), still_serving);
        return nullptr;
    }
}

asio::awaitable<void> service::reload_once(const config_loader& load) {
    const std::shared_ptr<generation> running = current_.load();
    // Reading and parsing files happens off the IO threads, which go on serving meanwhile.
    auto preparing = [this, &load, &running]() -> asio::awaitable<std::shared_ptr<generation>> {
        co_return prepare(load, running);
    };
    auto work = preparing();
    const std::shared_ptr<generation> built =
        co_await asio::co_spawn(reload_work_, std::move(work), asio::use_awaitable);
    if (!built) {
        reload_results().with({"refused"}).inc();
        co_return;
    }
    if (built->new_ldap) {
        spdlog::info("reload: LDAP settings changed: opening new LDAP connections");
        built->ldap->start();
        const auto timeout = built->config.ldap.connect_timeout;
        if (!co_await wait_connected(*built->ldap, timeout)) {
            const std::string why = built->ldap->last_failure();
            built->ldap->stop();
            spdlog::error(
                "reload refused: the new LDAP settings gave no bound connection within {} ms "
                "({}); {}",
                timeout.count(), why.empty() ? "see the LDAP client's messages above" : why,
                still_serving);
            reload_results().with({"refused"}).inc();
            co_return;
        }
        retired_.push_back(running->ldap);
    } else {
        spdlog::info("reload: LDAP settings unchanged: keeping the open LDAP connections");
    }
    const std::string level = built->config.logging.level;
    const std::size_t tenants = built->config.tenants.size();
    const std::size_t tokens = built->config.tokens.size();
    publish(std::move(built));
    // The replaced client is stopped by its destructor once the last request that started on
    // it has finished (each such request holds its generation).
    const std::uint64_t number = ++generation_number_;
    reload_results().with({"applied"}).inc();
    spdlog::info("reload: configuration applied (generation {}): {} tenants, {} tokens", number,
                 tenants, tokens);
    // Last, so that the lines above still show at the level the operator was watching.
    if (level != running->config.logging.level) {
        spdlog::info("reload: logging.level is now {}", level);
        set_log_level(level);
    }
}

asio::awaitable<bool> service::wait_connected(ldap::client& client,
                                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!client.connected()) {
        if (stopping_.load() || std::chrono::steady_clock::now() >= deadline) {
            co_return false;
        }
        timer.expires_after(ready_poll_interval);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return true;
}

asio::awaitable<void> service::announce_ready() {
    // systemd READY=1 means "serving": the listener is bound (start() did that) and the
    // directory answers.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!stopping_.load()) {
        if (ready()) {
            spdlog::info("ready: listening on port {} and connected to LDAP", port());
            notify("READY=1");
            co_return;
        }
        timer.expires_after(ready_poll_interval);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

std::string service::status_line() const {
    if (ready()) {
        return "STATUS=Serving on port " + std::to_string(port()) + "; LDAP connected";
    }
    const std::string why = current_.load()->ldap->last_failure();
    return "STATUS=Waiting for the LDAP directory" + (why.empty() ? "" : ": " + why);
}

asio::awaitable<void> service::supervise() {
    // Pings at half the watchdog interval (sd_watchdog_enabled(3)); status checked every second.
    const auto tick = std::min<std::chrono::steady_clock::duration>(
        watchdog_ ? *watchdog_ / 2 : std::chrono::seconds(1), std::chrono::seconds(1));
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next_ping = std::chrono::steady_clock::now();
    std::string last_status;
    while (!stopping_.load()) {
        // A round trip through every other IO thread's queue: one that is wedged never
        // answers, so the pings stop and systemd restarts the service.
        for (const auto& io : more_io_) {
            co_await asio::post(io->get_executor(), asio::use_awaitable);
        }
        co_await asio::post(io_.get_executor(), asio::use_awaitable);
        if (stopping_.load()) {
            break;
        }
        if (watchdog_ && std::chrono::steady_clock::now() >= next_ping) {
            notify("WATCHDOG=1");
            next_ping = std::chrono::steady_clock::now() + *watchdog_ / 2;
        }
        if (std::string status = status_line(); status != last_status) {
            notify(status);
            last_status = std::move(status);
        }
        timer.expires_after(tick);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> service::stop_everything() {
    notify("STOPPING=1");
    if (metrics_server_) {
        co_await asio::co_spawn(metrics_server_->executor(), metrics_server_->shutdown(),
                                asio::use_awaitable);
    }
    co_await server_->shutdown();
    current_.load()->ldap->stop();
    // A request abandoned after the grace period may still hold a replaced generation.
    for (const std::weak_ptr<ldap::client>& old : retired_) {
        if (const auto client = old.lock()) {
            client->stop();
        }
    }
    // Let the LDAP client's own clean-up handlers run before the IO threads are released. Each
    // connection stops on its own strand, which may run after a single round trip through its
    // thread's queue: one left running keeps an operation whose handler keeps the connection
    // alive (a leak at exit, seen under ASan). So wait until every connection has stopped,
    // checking after each round trip, for 2 s at most.
    asio::steady_timer pause(co_await asio::this_coro::executor);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    do {
        for (const auto& io : more_io_) {
            const auto other = io->get_executor();
            co_await asio::post(other, asio::use_awaitable);
        }
        if (current_.load()->ldap->stopped()) {
            break;
        }
        pause.expires_after(std::chrono::milliseconds(5));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    } while (std::chrono::steady_clock::now() < give_up);
    co_await asio::post(asio::use_awaitable);
    work_.clear();
    stop_now();
    spdlog::info("stopped");
}

void service::notify(std::string_view state) const {
    if (notify_) {
        notify_(state);
    }
}

}  // namespace scimldap::cli
