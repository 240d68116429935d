// The byte stream to one directory server, owned by Asio: a TCP socket (with a TLS session
// once started) or a local socket. libldap never reads or writes it itself.
#pragma once

#include "base/ldap_uri.hpp"
#include "bridge/ldap/ldap_client.hpp"
#include "bridge/ldap/tls_engine.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

namespace scimldap::ldap::detail {

/// One connection's socket. Lives in a shared_ptr: pending reads and writes hold it, so closing
/// it (which aborts them) never frees what they still use. Used on one strand only.
class ldap_link : public std::enable_shared_from_this<ldap_link> {
public:
    using io_result = std::tuple<boost::system::error_code, std::size_t>;
    /// Room for one TLS record (16 KiB of data and its overhead) per socket read.
    static constexpr std::size_t tls_read_size = 17 * 1024;

    explicit ldap_link(boost::asio::any_io_executor executor);
    ldap_link(const ldap_link&) = delete;
    ldap_link& operator=(const ldap_link&) = delete;

    /// Resolves the host (asynchronously, again on every call: DNS changes are followed) and
    /// connects to its addresses in order, each within `timeout`. Empty on success, else why,
    /// naming the server.
    boost::asio::awaitable<std::string> connect(const ldap_uri& uri,
                                                std::chrono::milliseconds timeout);
    /// The TLS handshake on the connected TCP socket: at once for ldaps://, after the StartTLS
    /// response otherwise. Empty on success, else why (unknown CA, expired, name mismatch...).
    /// Afterwards tls() is the session that encrypts and decrypts the socket's bytes.
    boost::asio::awaitable<std::string> start_tls(boost::asio::ssl::context& context,
                                                  const ldap_uri& uri, bool verify,
                                                  std::chrono::milliseconds timeout);

    /// Reads what is there: ciphertext when tls() is set (the caller decrypts it).
    boost::asio::awaitable<io_result> read_some(boost::asio::mutable_buffer into) {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        if (tcp_) {
            return tcp_->async_read_some(into, token);
        }
        return local_->async_read_some(into, token);
    }

    /// Waits until a plain socket takes more bytes (the batch layer writes those itself).
    template <class Handler>
    void async_wait_writable(Handler&& handler) {
        constexpr auto writable = boost::asio::socket_base::wait_write;
        if (tcp_) {
            tcp_->async_wait(writable, std::forward<Handler>(handler));
        } else {
            local_->async_wait(writable, std::forward<Handler>(handler));
        }
    }

    /// The TLS session once the handshake is done; null without TLS.
    tls_engine* tls() const { return tls_.get(); }
    bool is_local() const { return local_.has_value(); }
    /// The socket's descriptor (libldap gets a duplicate of it).
    int native_handle();
    /// Aborts what is pending and closes the socket for good (a connect under way stops).
    void close();
    std::optional<peer_certificate> peer() const;

private:
    boost::asio::awaitable<std::string> connect_tcp(const ldap_uri& uri,
                                                    std::chrono::milliseconds timeout);
    boost::asio::awaitable<std::string> connect_local(const ldap_uri& uri,
                                                      std::chrono::milliseconds timeout);
    /// Closes the socket (or cancels the resolver) if the current step takes longer than limit.
    void arm(std::chrono::milliseconds limit);
    /// The step ended; true when it ended because the watchdog fired.
    bool disarm();
    /// Closes the socket (and cancels the resolver): what close() and the watchdog do.
    void shut();

    boost::asio::any_io_executor executor_;
    std::optional<boost::asio::ip::tcp::resolver> resolver_;
    std::optional<boost::asio::ip::tcp::socket> tcp_;
    std::unique_ptr<tls_engine> tls_;
    std::optional<boost::asio::local::stream_protocol::socket> local_;
    boost::asio::steady_timer watchdog_;
    std::uint64_t step_ =
        0;  // which step the watchdog guards: a late expiry of an older one is ignored
    bool expired_ = false;
    bool closed_ = false;  // close() was called: a connect in progress tries no further address
};

}  // namespace scimldap::ldap::detail
