// Connecting is Asio's: the resolver (getaddrinfo on Asio's own thread, never an IO thread),
// every address in turn, and the TLS handshake on OpenSSL. A watchdog closes the socket when
// a step overruns; closing aborts the pending operation, which is then reported as a timeout.
#include "bridge/ldap/ldap_link.hpp"

#include "bridge/ldap/ldap_tls.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <vector>

namespace scimldap::ldap::detail {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string ms(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

}  // namespace

ldap_link::ldap_link(asio::any_io_executor executor) : executor_(executor), watchdog_(executor) {}

void ldap_link::arm(std::chrono::milliseconds limit) {
    const std::uint64_t step = ++step_;
    expired_ = false;
    watchdog_.expires_after(limit);
    watchdog_.async_wait([self = shared_from_this(), step](boost::system::error_code ec) {
        if (ec || step != self->step_) {
            return;
        }
        self->expired_ = true;
        self->shut();
    });
}

bool ldap_link::disarm() {
    ++step_;
    watchdog_.cancel();
    return expired_;
}

asio::awaitable<std::string> ldap_link::connect(const ldap_uri& uri,
                                                std::chrono::milliseconds timeout) {
    if (uri.scheme == ldap_uri::kind::ldapi) {
        co_return co_await connect_local(uri, timeout);
    }
    co_return co_await connect_tcp(uri, timeout);
}

asio::awaitable<std::string> ldap_link::connect_tcp(const ldap_uri& uri,
                                                    std::chrono::milliseconds timeout) {
    resolver_.emplace(executor_);
    arm(timeout);
    auto [resolve_error, addresses] =
        co_await resolver_->async_resolve(uri.host, std::to_string(uri.port), as_tuple_awaitable);
    const bool resolve_expired = disarm();
    resolver_.reset();
    if (closed_) {
        co_return "connecting to " + uri.where() + " was stopped";
    }
    if (resolve_expired) {
        co_return "cannot resolve " + uri.host + ": no answer within " + ms(timeout);
    }
    if (resolve_error) {
        co_return "cannot resolve " + uri.host + ": " + resolve_error.message();
    }
    std::string failures;
    for (const auto& entry : addresses) {  // A and AAAA records, in the resolver's order
        if (closed_) {
            co_return "connecting to " + uri.where() + " was stopped";
        }
        const tcp::endpoint address = entry.endpoint();
        tcp_.emplace(executor_);
        boost::system::error_code ec;
        tcp_->open(address.protocol(), ec);
        if (!ec) {
            arm(timeout);
            std::tie(ec) = co_await tcp_->async_connect(address, as_tuple_awaitable);
            if (disarm()) {
                ec = asio::error::timed_out;
            }
        }
        if (!ec) {
            tcp_->set_option(tcp::no_delay(true), ec);  // requests are whole PDUs: send at once
            co_return std::string{};
        }
        failures +=
            (failures.empty() ? "" : "; ") + address.address().to_string() + ": " +
            (ec == asio::error::timed_out ? "no answer within " + ms(timeout) : ec.message());
        tcp_.reset();
    }
    co_return "cannot connect to " + uri.where() + " (" +
        (failures.empty() ? "the name has no address" : failures) + ")";
}

asio::awaitable<std::string> ldap_link::connect_local(const ldap_uri& uri,
                                                      std::chrono::milliseconds timeout) {
    local_.emplace(executor_);
    arm(timeout);
    const asio::local::stream_protocol::endpoint path(uri.socket_path);
    auto [ec] = co_await local_->async_connect(path, as_tuple_awaitable);
    if (disarm()) {
        co_return "cannot connect to " + uri.socket_path + ": no answer within " + ms(timeout);
    }
    if (ec) {
        co_return "cannot connect to " + uri.socket_path + ": " + ec.message();
    }
    co_return std::string{};
}

asio::awaitable<std::string> ldap_link::start_tls(asio::ssl::context& context, const ldap_uri& uri,
                                                  bool verify, std::chrono::milliseconds timeout) {
    if (!tcp_) {
        co_return "TLS needs a TCP connection to " + uri.where();
    }
    auto engine = std::make_unique<tls_engine>(context.native_handle(), uri, verify);
    if (!engine->valid()) {
        co_return "TLS to " + uri.where() + ": cannot set up a session for this server";
    }
    // The handshake moves the engine's records over the socket until it is done; whatever the
    // server sends after it (TLS 1.3 tickets) stays in the engine for the first read.
    arm(timeout);
    std::string out;
    std::vector<char> in(tls_read_size);
    boost::system::error_code ec;
    auto state = tls_engine::status::want_input;
    for (;;) {
        state = engine->handshake();
        out.clear();
        engine->take_output(out);
        if (!out.empty()) {
            std::size_t written = 0;
            std::tie(ec, written) =
                co_await asio::async_write(*tcp_, asio::buffer(out), as_tuple_awaitable);
            if (ec) {
                break;
            }
        }
        if (state != tls_engine::status::want_input) {
            break;
        }
        std::size_t n = 0;
        std::tie(ec, n) = co_await tcp_->async_read_some(asio::buffer(in), as_tuple_awaitable);
        if (ec) {
            break;
        }
        engine->put_input(in.data(), n);
        if (closed_) {
            break;
        }
    }
    if (disarm()) {
        co_return "TLS handshake with " + uri.where() + " timed out after " + ms(timeout);
    }
    if (state == tls_engine::status::failed) {
        co_return engine->failure(uri);
    }
    if (ec) {
        co_return "TLS handshake with " + uri.where() + " failed: " +
            (ec == asio::error::eof
                 ? std::string("the server closed the connection (is it serving TLS on this port?)")
                 : ec.message());
    }
    tls_ = std::move(engine);
    co_return std::string{};
}

int ldap_link::native_handle() {
    if (tcp_) {
        return tcp_->native_handle();
    }
    return local_ ? local_->native_handle() : -1;
}

void ldap_link::close() {
    closed_ = true;
    shut();
}

void ldap_link::shut() {
    boost::system::error_code ignored;
    if (resolver_) {
        resolver_->cancel();
    }
    if (tcp_) {
        tcp_->close(ignored);
    }
    if (local_) {
        local_->close(ignored);
    }
}

std::optional<peer_certificate> ldap_link::peer() const {
    if (!tls_) {
        return std::nullopt;
    }
    return tls_->peer();
}

}  // namespace scimldap::ldap::detail
