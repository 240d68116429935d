// Each proxied connection is two pumps (client→server, server→client) on the proxy's one
// thread; the commands are posted to that thread and waited for, so they need no locks.
#include "tests/support/tcp_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <future>
#include <optional>
#include <set>
#include <thread>

namespace scimldap::testing {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t chunk_size = 16 * 1024;

/// One proxied connection: the client's socket and ours to the target.
struct proxied {
    proxied(asio::io_context& io, tcp::socket from_client)
        : client(std::move(from_client)), server(io) {}
    tcp::socket client;
    tcp::socket server;
    bool held = false;  // black-holed: nothing is forwarded until resume()
    bool closed = false;
};

}  // namespace

class tcp_proxy::impl : public std::enable_shared_from_this<impl> {
public:
    impl(std::string host, std::uint16_t port)
        : target_(asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host), port),
          acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          gate_(io_, std::chrono::steady_clock::time_point::max()),
          port_(acceptor_.local_endpoint().port()),
          work_(asio::make_work_guard(io_)) {}

    void start() {
        asio::co_spawn(io_, accept_loop(shared_from_this()), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }

    void shutdown() {
        on_io([this] {
            boost::system::error_code ignored;
            acceptor_.close(ignored);
            close_all();
            gate_.cancel();
        });
        // Every socket is closed, so each coroutine ends and run() returns: their frames (which
        // hold this object) are gone before the thread is joined.
        work_.reset();
        thread_.join();
    }

    /// Runs f on the proxy's thread and returns once it ran.
    template <class F>
    void on_io(F f) {
        std::promise<void> done;
        asio::post(io_, [&] {
            f();
            done.set_value();
        });
        done.get_future().wait();
    }

    void close_all() {
        const auto all = links_;
        for (const auto& l : all) {
            close(l);
        }
    }

    void hold_all(bool new_too) {
        for (const auto& l : links_) {
            l->held = true;
        }
        hold_new_ = new_too;
    }

    void release_all() {
        hold_new_ = false;
        refuse_ = false;
        for (const auto& l : links_) {
            l->held = false;
        }
        gate_.cancel();  // held pumps wake up and forward; the expiry stays "never"
    }

    std::uint16_t port() const { return port_; }

    std::chrono::milliseconds delay_{0};
    std::optional<std::size_t> cut_after_;
    bool refuse_ = false;
    std::atomic<std::size_t> accepted_{0};
    std::atomic<std::size_t> open_{0};
    std::atomic<std::size_t> cuts_{0};

private:
    using link_ptr = std::shared_ptr<proxied>;

    static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
        for (;;) {
            auto [ec, socket] = co_await self->acceptor_.async_accept(no_throw);
            if (ec) {
                if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) {
                    co_return;
                }
                continue;
            }
            self->accepted_.fetch_add(1);
            if (self->refuse_) {
                boost::system::error_code ignored;
                socket.close(ignored);
                continue;
            }
            auto link = std::make_shared<proxied>(self->io_, std::move(socket));
            link->held = self->hold_new_;
            self->links_.insert(link);
            self->open_.fetch_add(1);
            asio::co_spawn(self->io_, connect_then_pump(self, link), asio::detached);
        }
    }

    static asio::awaitable<void> connect_then_pump(std::shared_ptr<impl> self, link_ptr link) {
        auto [ec] = co_await link->server.async_connect(self->target_, no_throw);
        if (ec || link->closed) {
            self->close(link);
            co_return;
        }
        asio::co_spawn(self->io_, pump(self, link, true), asio::detached);
        co_await pump(self, link, false);
    }

    static asio::awaitable<void> pump(std::shared_ptr<impl> self, link_ptr link, bool to_server) {
        tcp::socket& from = to_server ? link->client : link->server;
        tcp::socket& to = to_server ? link->server : link->client;
        std::array<char, chunk_size> buffer;
        asio::steady_timer delay_timer(self->io_);
        while (!link->closed) {
            auto [read_ec, n] = co_await from.async_read_some(asio::buffer(buffer), no_throw);
            if (read_ec || link->closed) {
                break;
            }
            if (self->delay_.count() > 0) {
                delay_timer.expires_after(self->delay_);
                co_await delay_timer.async_wait(no_throw);
            }
            while (link->held && !link->closed) {
                co_await self->gate_.async_wait(no_throw);
            }
            if (link->closed) {
                break;
            }
            std::size_t forward = n;
            bool cut = false;
            if (!to_server && self->cut_after_) {
                forward = std::min(n, *self->cut_after_);
                cut = true;
                self->cut_after_.reset();
            }
            auto [write_ec, written] =
                co_await asio::async_write(to, asio::buffer(buffer.data(), forward), no_throw);
            if (cut) {
                self->cuts_.fetch_add(1);
                break;
            }
            if (write_ec) {
                break;
            }
        }
        self->close(link);
    }

    void close(const link_ptr& link) {
        if (link->closed) {
            return;
        }
        link->closed = true;
        boost::system::error_code ignored;
        link->client.close(ignored);
        link->server.close(ignored);
        links_.erase(link);
        open_.fetch_sub(1);
        if (link->held) {
            gate_.cancel();  // its held pumps see it closed and end
        }
    }

    asio::io_context io_;
    tcp::endpoint target_;
    tcp::acceptor acceptor_;
    asio::steady_timer gate_;  // held pumps wait on it; resume() and close() cancel the waits
    const std::uint16_t port_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
    std::set<link_ptr> links_;
    bool hold_new_ = false;
};

tcp_proxy::tcp_proxy(std::string target_host, std::uint16_t target_port)
    : impl_(std::make_shared<impl>(std::move(target_host), target_port)) {
    impl_->start();
}

tcp_proxy::~tcp_proxy() {
    impl_->shutdown();
}

std::uint16_t tcp_proxy::port() const {
    return impl_->port();
}

std::string tcp_proxy::uri() const {
    return "ldap://127.0.0.1:" + std::to_string(port());
}

void tcp_proxy::cut_all() {
    impl_->on_io([this] { impl_->close_all(); });
}

void tcp_proxy::black_hole(bool new_connections_too) {
    impl_->on_io([this, new_connections_too] { impl_->hold_all(new_connections_too); });
}

void tcp_proxy::resume() {
    impl_->on_io([this] { impl_->release_all(); });
}

void tcp_proxy::delay(std::chrono::milliseconds per_chunk) {
    impl_->on_io([this, per_chunk] { impl_->delay_ = per_chunk; });
}

void tcp_proxy::cut_next_response(std::size_t after_bytes) {
    impl_->on_io([this, after_bytes] { impl_->cut_after_ = after_bytes; });
}

void tcp_proxy::refuse(bool on) {
    impl_->on_io([this, on] { impl_->refuse_ = on; });
}

std::size_t tcp_proxy::accepted() const {
    return impl_->accepted_.load();
}

std::size_t tcp_proxy::open() const {
    return impl_->open_.load();
}

std::size_t tcp_proxy::cuts() const {
    return impl_->cuts_.load();
}

}  // namespace scimldap::testing
