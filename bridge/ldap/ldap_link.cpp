// Connecting is Asio's: the resolver (getaddrinfo on Asio's own thread, never an IO thread),
// every address in turn, and the TLS handshake on OpenSSL. A watchdog closes the socket when
// a step overruns; closing aborts the pending operation, which is then reported as a timeout.
#include "bridge/ldap/ldap_link.hpp"

#include "bridge/ldap/ldap_tls.hpp"

#include <boost/asio/connect.hpp>

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
        self->close();
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
    if (resolve_expired) {
        co_return "cannot resolve " + uri.host + ": no answer within " + ms(timeout);
    }
    if (resolve_error) {
        co_return "cannot resolve " + uri.host + ": " + resolve_error.message();
    }
    std::string failures;
    for (const auto& entry : addresses) {  // A and AAAA records, in the resolver's order
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
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(*tcp_, context);
    if (!expect_peer(tls_->native_handle(), uri, verify)) {
        co_return "TLS to " + uri.where() + ": cannot set the expected server name";
    }
    // Only watches: the outcome stays OpenSSL's.
    auto leaf_expiry = std::make_shared<std::string>();
    tls_->set_verify_callback([leaf_expiry](bool preverified, asio::ssl::verify_context& ctx) {
        if (auto when = leaf_not_after(ctx.native_handle()); !when.empty()) {
            *leaf_expiry = std::move(when);
        }
        return preverified;
    });
    arm(timeout);
    auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, as_tuple_awaitable);
    if (disarm()) {
        co_return "TLS handshake with " + uri.where() + " timed out after " + ms(timeout);
    }
    if (ec) {
        co_return describe_handshake_failure(tls_->native_handle(), ec, uri, *leaf_expiry);
    }
    co_return std::string{};
}

int ldap_link::native_handle() {
    if (tcp_) {
        return tcp_->native_handle();
    }
    return local_ ? local_->native_handle() : -1;
}

void ldap_link::close() {
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
    return describe_peer(tls_->native_handle());
}

}  // namespace scimldap::ldap::detail
