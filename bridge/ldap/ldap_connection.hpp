// One libldap handle driven by Asio: connect, bind, multiplexed operations, loss and reconnect.
#pragma once

#include "bridge/ldap/ldap_client.hpp"
#include "bridge/ldap/ldap_link.hpp"
#include "bridge/ldap/ldap_operation.hpp"
#include "bridge/ldap/server_target.hpp"
#include "bridge/ldap/sockbuf_batching.hpp"
#include "bridge/ldap/sockbuf_feed.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

namespace scimldap::ldap::detail {

enum class link_state {
    idle,        // not started
    connecting,  // connect + bind + root DSE under way
    ready,       // bound: operations go out
    down,        // last attempt failed or the link was lost; waiting to retry
    stopped,
};

/// "idle", "connecting", "ready", "down", "stopped": the metrics' state label.
std::string_view link_state_name(link_state s);

/// Told by a connection when its state changes or when an operation reached it too late.
class connection_listener {
public:
    virtual ~connection_listener() = default;
    /// Called on the connection's strand after the state changed.
    virtual void on_state_change() = 0;
    /// An operation submitted while the link was not ready: the listener decides where it goes.
    virtual void on_bounce(operation_ptr op) = 0;
};

/// Owns at most one LDAP* at a time and everything tied to it; all of it lives on one strand.
class connection : public std::enable_shared_from_this<connection> {
public:
    /// tls_context: shared by the client's connections; null when no URI uses TLS. target: the
    /// URI the client's connections use (a failed connect moves it on); only_uri instead: this
    /// one URI and no other, the target left alone (the failback's probe). target is required.
    connection(boost::asio::any_io_executor executor, std::shared_ptr<const client_options> options,
               std::shared_ptr<boost::asio::ssl::context> tls_context,
               std::weak_ptr<connection_listener> listener, std::shared_ptr<server_target> target,
               bool reconnect = true, std::optional<std::size_t> only_uri = std::nullopt);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    /// Starts the connect/serve/reconnect loop.
    void start();
    /// Fails in-flight operations (LDAP_SERVER_DOWN), closes the handle, stops reconnecting.
    void stop();
    /// Thread-safe: the operation goes out on the strand, or bounces if the link is not ready.
    void submit(operation_ptr op);
    /// Thread-safe: a caller is waiting, so a link that is down retries as soon as
    /// reconnect_backoff_min has passed since its last attempt. False if it is not down.
    bool kick();
    /// Thread-safe: the target moved. A bound link to another URI takes no new operation, lets
    /// those in flight finish, then reconnects to the target.
    void retarget();

    link_state state() const { return state_.load(std::memory_order_acquire); }
    /// The URI this connection is bound to, or tried last (the first before any attempt).
    const std::string& uri() const;
    /// Operations in flight, for least-loaded picking.
    std::size_t load() const {
        return queued_.load(std::memory_order_relaxed) + active_.load(std::memory_order_relaxed);
    }
    server_features features() const;
    /// Why the last attempt to connect failed, naming the server; empty once connected.
    std::string last_failure() const;
    /// The server's certificate from the last TLS handshake.
    std::optional<peer_certificate> tls_peer() const;
    /// The execution context this connection's strand runs on.
    const boost::asio::execution_context* context() const { return context_; }

private:
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<bool> establish(const std::string& uri);
    /// Connects, does TLS as the URI says and hands the socket to libldap: empty when ready to
    /// bind, else why not.
    boost::asio::awaitable<std::string> open(const ldap_uri& uri);
    boost::asio::awaitable<std::string> upgrade_with_starttls(const ldap_uri& uri,
                                                              const ldap_link* link);
    /// Hands the connected socket to a new libldap handle with our Sockbuf layers on it.
    std::string adopt_link(const ldap_uri& uri);
    boost::asio::awaitable<std::string> start_tls(const ldap_uri& uri);
    /// One request while connecting (StartTLS, bind, root DSE), answered within connect_timeout.
    boost::asio::awaitable<response> exchange(request_sender sender);
    /// While ready: reads the root DSE whenever nothing came from the server for
    /// probe_interval, so a silent connection is found (and replaced) while idle.
    boost::asio::awaitable<void> probe_loop(std::uint64_t generation);
    void send_probe();
    void start_reading();
    boost::asio::awaitable<void> read_loop(std::uint64_t generation,
                                           std::shared_ptr<ldap_link> link);
    /// Closes what the attempt opened and records why it failed (for /readyz and the log).
    void abandon_attempt(std::string why);

    void set_state(link_state s);
    /// A retargeted link whose last operation ended: close it, so run() connects to the target.
    void end_drain_when_idle();
    void issue(const operation_ptr& op);
    void drain();
    void dispatch(LDAPMessage* message);
    void finish(int msgid, response r);
    void lose(int code, const std::string& why);
    void close_handle();
    void request_flush();
    void flush(std::uint64_t generation);
    /// Decrypts what the TLS session holds into the feed; false when the session ended.
    bool decrypt_into(tls_engine& tls, read_feed& feed);
    void arm_deadline_timer();
    /// Fails the operations past their deadline; when the server sent nothing since one of them
    /// went out, the connection is silent (black hole, frozen server) and is replaced.
    void expire_operations();

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    const boost::asio::execution_context* context_;
    std::shared_ptr<const client_options> options_;
    std::shared_ptr<boost::asio::ssl::context> tls_context_;
    std::weak_ptr<connection_listener> listener_;

    LDAP* ld_ = nullptr;
    std::unique_ptr<write_batch> batch_;
    std::shared_ptr<read_feed> feed_;  // shared with the read loop, which fills it
    Sockbuf* sockbuf_ = nullptr;       // ld_'s; set and cleared with it
    std::shared_ptr<ldap_link> link_;  // the socket; libldap has a duplicate of its descriptor
    std::uint64_t generation_ = 0;     // bumped per handle: stale callbacks check it
    // StartTLS: the read loop stops once the extended response is in, so the handshake owns
    // the socket's next bytes.
    bool pause_reading_ = false;

    std::unordered_map<int, operation_ptr> in_flight_;
    std::set<std::pair<clock::time_point, int>> deadlines_;
    boost::asio::steady_timer deadline_timer_;
    std::optional<clock::time_point> deadline_armed_;
    boost::asio::steady_timer probe_timer_;
    clock::time_point last_received_{};  // the last bytes read from the server
    boost::asio::steady_timer backoff_timer_;
    boost::asio::steady_timer lost_signal_;
    clock::time_point last_attempt_{};
    bool flush_pending_ = false;
    bool stopping_ = false;
    bool draining_ = false;  // retargeted: no new operations, closes once in_flight_ is empty
    const bool reconnect_;
    std::shared_ptr<server_target> target_;
    const std::optional<std::size_t> only_uri_;

    std::atomic<link_state> state_{link_state::idle};
    std::atomic<std::size_t> uri_index_{0};  // into options_->uris
    bool was_up_ = false;                    // on strand_: a later connect is a reconnect
    std::atomic<std::size_t> queued_{0};     // submitted, not yet on the strand
    std::atomic<std::size_t> active_{0};     // in_flight_.size()
    mutable std::mutex features_mutex_;      // guards the three below, read from other threads
    server_features features_;
    std::string last_failure_;
    std::optional<peer_certificate> peer_;
};

using connection_ptr = std::shared_ptr<connection>;

}  // namespace scimldap::ldap::detail
