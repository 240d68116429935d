// The asynchronous LDAP client: a pool of multiplexed libldap connections driven by Asio.
#pragma once

#include "base/ldap_types.hpp"
#include "base/ldap_uri.hpp"
#include "bridge/ldap/ldap_error.hpp"
#include "bridge/ldap/operations.hpp"
#include "bridge/ldap/write_confirmer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::ldap {

/// The server's certificate as seen in the last handshake (for `check --live` and logs).
struct peer_certificate {
    std::string subject;
    std::string issuer;
    std::string not_after;  // RFC 3339, UTC
    std::string protocol;   // "TLSv1.3"
};

/// How the client connects and how long it waits.
struct client_options {
    std::vector<std::string> uris;  // tried in order (failover)
    /// Read-only replicas for searches that allow one (search_request::from_replica); a pool of
    /// their own (pool_size connections), one URI at a time with failover like `uris`.
    std::vector<std::string> read_uris;
    std::string bind_dn;         // empty: anonymous (or SASL EXTERNAL, below)
    std::string password;        // read from the password file by the caller; never logged
    bool sasl_external = false;  // for ldapi://
    std::size_t pool_size = 2;
    /// Outstanding operations past which a new one fails at once with LDAP_BUSY instead of
    /// queueing without limit (the SCIM layer answers 503 + Retry-After); 0: no bound.
    std::size_t max_pending_reads = 0;
    std::size_t max_pending_writes = 0;
    std::chrono::milliseconds operation_timeout{5000};
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds reconnect_backoff_min{100};
    std::chrono::milliseconds reconnect_backoff_max{5000};
    /// A bound connection that has heard nothing from the server for this long reads the root
    /// DSE, so a silent (black-holed) one is found before a request meets it; 0: never.
    std::chrono::milliseconds probe_interval{5000};
    /// After a failover to a later URI, how often an earlier one is tried; the first that
    /// answers is every connection's URI again. 0: never (stay until the later URI fails).
    std::chrono::milliseconds failback_after{0};
    /// How long confirm_writes() waits for another of `uris` to hold a request's writes
    /// (semi-synchronous replication); 0: writes are answered without waiting.
    std::chrono::milliseconds confirm_writes{0};
    tls_options tls;

    /// A reload re-opens the connections only when the options differ (bridge/cli).
    bool operator==(const client_options&) const = default;
};

class client_impl;
namespace detail {
class operation_sink;
}

/// The operations of `operations`, written once for the pool and for a pinned connection: each
/// goes to the sink the subclass names.
class sink_operations : public operations {
public:
    boost::asio::awaitable<result<search_result>> search(search_request request) final;
    boost::asio::awaitable<result<write_result>> add(dn name, std::vector<attribute> attributes,
                                                     std::vector<control> controls = {}) final;
    boost::asio::awaitable<result<write_result>> modify(dn name, std::vector<modification> changes,
                                                        std::vector<control> controls = {}) final;
    boost::asio::awaitable<result<write_result>> rename(dn name, std::string new_rdn,
                                                        std::optional<dn> new_superior,
                                                        bool delete_old_rdn,
                                                        std::vector<control> controls = {}) final;
    boost::asio::awaitable<result<write_result>> remove(dn name,
                                                        std::vector<control> controls = {}) final;
    boost::asio::awaitable<result<extended_result>> extended(
        std::string oid, std::optional<std::string> value,
        std::vector<control> controls = {}) final;

protected:
    virtual std::shared_ptr<detail::operation_sink> sink() const = 0;
};

/// Several operations on one dedicated connection, for state the server keeps per connection:
/// RFC 5805 transactions, VLV/sort contexts. The connection is not shared with the pool and is
/// closed when the lease goes. If it is lost, operations fail with LDAP_SERVER_DOWN (no
/// failover: the state is gone with it).
class pinned_connection final : public sink_operations {
public:
    /// No connection: every operation fails with LDAP_SERVER_DOWN.
    pinned_connection();
    pinned_connection(pinned_connection&&) noexcept;
    pinned_connection& operator=(pinned_connection&&) noexcept;
    ~pinned_connection();

    /// Another handle on the same connection.
    boost::asio::awaitable<result<std::unique_ptr<operations>>> session() override;
    bool connected() const;
    server_features features() const override;

private:
    friend class client_impl;
    explicit pinned_connection(std::shared_ptr<detail::operation_sink> sink);
    std::shared_ptr<detail::operation_sink> sink() const override;
    std::shared_ptr<detail::operation_sink> sink_;
};

/// The LDAP operations every handler awaits. Safe to call from any thread/executor; the result
/// resumes the caller on its own executor.
class client final : public sink_operations {
public:
    client(boost::asio::any_io_executor executor, client_options options);
    /// The pool spread over several executors (one per IO thread's io_context): an operation
    /// goes to a connection on its caller's context when one is ready.
    client(std::vector<boost::asio::any_io_executor> executors, client_options options);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// Starts connecting the pool in the background; operations issued before a connection is
    /// ready wait for it (up to their timeout).
    void start();
    /// Fails waiting operations with a transient error and closes every connection.
    void stop();

    /// A dedicated connection for operations that must share one (transactions, VLV). Waits up
    /// to operation_timeout for it to be bound.
    boost::asio::awaitable<result<pinned_connection>> pinned();
    /// pinned(), behind the interface.
    boost::asio::awaitable<result<std::unique_ptr<operations>>> session() override;

    /// True when at least one pooled connection is bound (for /readyz). All of them use one
    /// of the URIs at a time, target(): a failover moves them all.
    bool connected() const;
    /// The URI every pooled connection uses now.
    std::string target() const;
    /// True once stop() has reached every pooled connection (each stops on its own strand).
    bool stopped() const;
    /// Why no connection is bound: the last failure, naming the server (empty when connected
    /// or before the first attempt ended).
    std::string last_failure() const;
    /// The certificate of the TLS server the pool last connected to, if TLS is used.
    std::optional<peer_certificate> tls_peer() const;
    /// Root DSE of the server the pool is connected to (empty before the first connection).
    server_features features() const override;

    /// After a request's writes, before it is answered: waits until another of `uris` holds
    /// them, at most confirm_writes (docs/scale-out.md). `off` at once when that is 0 or there
    /// is one URI. `created`: the search for the entry the request created, which that
    /// provider must hold too (else `conflict`).
    boost::asio::awaitable<replication> confirm_writes(std::optional<search_request> created = {});
    /// The DNs the bridge writes under (the tenants' bases, set again by each reload):
    /// confirm_writes compares the contextCSN of the naming contexts holding them only, not of
    /// others the servers keep (an accesslog database is each server's own). None set: every
    /// naming context.
    void confirm_under(std::vector<std::string> bases);

private:
    std::shared_ptr<detail::operation_sink> sink() const override;
    std::shared_ptr<client_impl> impl_;
};

}  // namespace scimldap::ldap
