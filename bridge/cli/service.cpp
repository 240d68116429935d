#include "bridge/cli/service.hpp"

#include "bridge/cli/ldap_options.hpp"
#include "bridge/cli/secret_file.hpp"
#include "bridge/scim/discovery_endpoint.hpp"
#include "bridge/scim/groups_endpoint.hpp"
#include "bridge/scim/root_search.hpp"
#include "bridge/scim/users_endpoint.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scimldap::cli {

namespace asio = boost::asio;

namespace {

// How often start-up checks whether the LDAP client has connected before announcing READY.
constexpr std::chrono::milliseconds ready_poll_interval{50};

/// The contexts of IO threads 2..n: each thread runs its own (concurrency hint 1).
std::vector<std::unique_ptr<io_thread_context>> more_contexts(std::size_t io_threads) {
    std::vector<std::unique_ptr<io_thread_context>> out;
    for (std::size_t i = 1; i < io_threads; ++i) {
        out.push_back(std::make_unique<io_thread_context>(1));
    }
    return out;
}

mapping::listen_settings resolved_listen(mapping::listen_settings listen) {
    if (listen.tls) {
        listen.tls->cert_file = expand_credentials_path(listen.tls->cert_file);
        listen.tls->key_file = expand_credentials_path(listen.tls->key_file);
    }
    return listen;
}

}  // namespace

service::service(mapping::config config, notifier notify)
    : config_(std::move(config)),
      notify_(std::move(notify)),
      io_(1),
      more_io_(more_contexts(config_.http.io_threads)),
      ldap_(std::make_unique<ldap::client>(executors(), client_options_from(config_.ldap))),
      routes_(config_.http.base_path),
      authenticator_(config_),
      application_(authenticator_, routes_,
                   [this] {
                       return http::readiness{ldap_->connected(), ldap_->last_failure()};
                   }),
      server_(std::make_unique<http::server>(io_, resolved_listen(config_.listen), config_.http,
                                             application_.handler(), executors())) {
    scim::endpoint_settings endpoints;
    endpoints.default_scheme = config_.listen.tls ? "https" : "http";
    endpoints.paging = {config_.scim.default_count, config_.scim.max_count};
    scim::register_user_routes(routes_, *ldap_, endpoints);
    scim::register_group_routes(routes_, *ldap_, endpoints);
    scim::register_root_search_route(routes_, *ldap_, endpoints);
    scim::discovery_settings discovery;
    discovery.max_results = static_cast<std::size_t>(endpoints.paging.max_count);
    discovery.default_scheme = endpoints.default_scheme;
    discovery.oauth_client_credentials = authenticator_.oauth() != nullptr;
    scim::register_discovery_routes(routes_, discovery);
}

service::~service() {
    if (!threads_.empty()) {
        request_shutdown();
        wait();
    }
    // A handler still queued on one context can hold the LDAP client, whose connections live on
    // every context: each context drops its handlers while all of them still exist (destroying
    // the contexts one by one freed a context's strands and reactor while another's handlers
    // still referred to them: valgrind showed it at every shutdown).
    io_.shut_down();
    for (const auto& io : more_io_) {
        io->shut_down();
    }
}

std::vector<asio::any_io_executor> service::executors() {
    std::vector<asio::any_io_executor> out{io_.get_executor()};
    for (const auto& io : more_io_) {
        out.emplace_back(io->get_executor());
    }
    return out;
}

void service::start() {
    ldap_->start();
    server_->start();
    work_.emplace_back(io_.get_executor());
    for (const auto& io : more_io_) {
        work_.emplace_back(io->get_executor());
    }
    asio::co_spawn(io_, announce_ready(), asio::detached);
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

asio::awaitable<void> service::announce_ready() {
    // systemd READY=1 means "serving": the listener is bound (start() did that) and the
    // directory answers.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!stopping_.load()) {
        if (ldap_->connected()) {
            spdlog::info("ready: listening on port {} and connected to LDAP", port());
            notify("READY=1");
            co_return;
        }
        timer.expires_after(ready_poll_interval);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> service::stop_everything() {
    notify("STOPPING=1");
    co_await server_->shutdown();
    ldap_->stop();
    // Let the LDAP client's own clean-up handlers run before the IO threads are released: a
    // round trip through each thread's queue.
    for (const auto& io : more_io_) {
        const auto other = io->get_executor();
        co_await asio::post(other, asio::use_awaitable);
    }
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
