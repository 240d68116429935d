// The pool: least-loaded ready connection per operation; operations wait (up to their timeout)
// while connections are being established and fail fast once every link is known down.
#include "bridge/ldap/ldap_client.hpp"

#include "bridge/ldap/ldap_connection.hpp"
#include "bridge/ldap/ldap_metrics.hpp"
#include "bridge/ldap/ldap_tls.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

namespace scimldap::ldap {
namespace asio = boost::asio;
using asio::use_awaitable;
using detail::clock;
using detail::connection;
using detail::connection_ptr;
using detail::link_state;
using detail::operation;
using detail::operation_ptr;
using detail::response;

namespace detail {

/// Where operations go: the pool, or one pinned connection.
class operation_sink {
public:
    virtual ~operation_sink() = default;
    virtual void submit(operation_ptr op) = 0;
    virtual const client_options& options() const = 0;
    virtual bool connected() const = 0;
    virtual server_features features() const = 0;
    /// Operations outstanding, reads and writes apart, for the back-pressure bound; a pinned
    /// connection (one paged walk) has no bound.
    virtual std::atomic<std::size_t>* pending(bool /*write*/) { return nullptr; }
};

}  // namespace detail

namespace {

/// The pause between the write confirmer's rounds of contextCSN reads while requests wait: a
/// replica on the same network applies a change in about this long.
constexpr std::chrono::milliseconds confirm_pace{2};

/// One outstanding operation counted against the sink's bound while it exists.
class pending_slot_guard {
public:
    explicit pending_slot_guard(std::atomic<std::size_t>* counter) : counter_(counter) {}
    pending_slot_guard(pending_slot_guard&& o) noexcept
        : counter_(std::exchange(o.counter_, nullptr)) {}
    pending_slot_guard(const pending_slot_guard&) = delete;
    pending_slot_guard& operator=(const pending_slot_guard&) = delete;
    pending_slot_guard& operator=(pending_slot_guard&&) = delete;
    ~pending_slot_guard() {
        if (counter_ != nullptr) {
            counter_->fetch_sub(1, std::memory_order_relaxed);
        }
    }

private:
    std::atomic<std::size_t>* counter_;
};

/// A slot for one more outstanding operation, or nullopt when the sink is at its bound.
std::optional<pending_slot_guard> pending_slot(detail::operation_sink& sink, bool write) {
    auto* counter = sink.pending(write);
    const std::size_t bound =
        write ? sink.options().max_pending_writes : sink.options().max_pending_reads;
    if (counter == nullptr || bound == 0) {
        return pending_slot_guard(nullptr);
    }
    if (counter->fetch_add(1, std::memory_order_relaxed) >= bound) {
        counter->fetch_sub(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    return pending_slot_guard(counter);
}

asio::awaitable<response> execute(std::shared_ptr<detail::operation_sink> sink, std::string_view op,
                                  detail::request_sender sender, std::vector<control> controls,
                                  bool count_values = false, bool replica_ok = false) {
    if (!sink) {
        record_operation(op, LDAP_SERVER_DOWN, {});
        co_return response{LDAP_SERVER_DOWN, "no LDAP connection", {}, {}, {}, {}, {}, {}};
    }
    const bool write = op != "search";
    const auto outstanding = pending_slot(*sink, write);
    if (!outstanding) {
        record_back_pressure(write);
        record_operation(op, LDAP_BUSY, {});
        co_return response{LDAP_BUSY,
                           std::string("the bridge already has ") +
                               std::to_string(write ? sink->options().max_pending_writes
                                                    : sink->options().max_pending_reads) +
                               (write ? " writes" : " reads") +
                               " outstanding toward the directory (ldap.max_pending_" +
                               (write ? "writes" : "reads") + ")",
                           {},
                           {},
                           {},
                           {},
                           {},
                           {}};
    }
    const auto started = clock::now();
    // A named initiation, the sink as a plain argument: g++ 12 destroys a lambda temporary with
    // non-trivial captures twice when it sits inside a co_await expression.
    auto initiation = [deadline = clock::now() + sink->options().operation_timeout, count_values,
                       replica_ok](auto handler, detail::operation_sink* target,
                                   detail::request_sender s, std::vector<control> c) {
        auto resume_on = asio::get_associated_executor(handler);
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto op = std::make_shared<operation>(std::move(s), std::move(c), deadline,
                                              detail::response_handler(std::move(handler)),
                                              std::move(resume_on));
        if (count_values) {
            op->count_values();
        }
        if (replica_ok) {
            op->allow_replica();
        }
        if (slot.is_connected()) {
            // The HTTP request's deadline cancels its handler: the caller gets its answer now
            // rather than at operation_timeout. The connection still expires the request.
            slot.assign([weak = std::weak_ptr<operation>(op)](asio::cancellation_type type) {
                if (type == asio::cancellation_type::none) {
                    return;
                }
                if (auto cancelled = weak.lock()) {
                    cancelled->fail(LDAP_TIMEOUT, "the request's deadline passed");
                }
            });
        }
        target->submit(std::move(op));
    };
    auto r = co_await asio::async_initiate<decltype(use_awaitable), void(response)>(
        initiation, use_awaitable, sink.get(), std::move(sender), std::move(controls));
    record_operation(op, r.code, clock::now() - started);
    co_return r;
}

op_error to_error(response& r) {
    if (r.diagnostic.empty()) {
        r.diagnostic = ldap_err2string(r.code);
    }
    return op_error{make_error(r.code), std::move(r.diagnostic), std::move(r.matched_dn)};
}

asio::awaitable<result<search_result>> run_search(std::shared_ptr<detail::operation_sink> sink,
                                                  search_request request) {
    auto controls = std::move(request.controls);
    auto sender = detail::requests::search(request);
    auto r = co_await execute(sink, "search", std::move(sender), std::move(controls),
                              request.count_values, request.from_replica);
    if (r.code != LDAP_SUCCESS) {
        co_return to_error(r);
    }
    co_return search_result{std::move(r.entries), std::move(r.referrals), std::move(r.controls)};
}

asio::awaitable<result<write_result>> run_write(std::shared_ptr<detail::operation_sink> sink,
                                                std::string_view op, detail::request_sender sender,
                                                std::vector<control> controls) {
    auto r = co_await execute(sink, op, std::move(sender), std::move(controls));
    if (r.code != LDAP_SUCCESS) {
        co_return to_error(r);
    }
    co_return write_result{std::move(r.controls)};
}

asio::awaitable<result<extended_result>> run_extended(std::shared_ptr<detail::operation_sink> sink,
                                                      std::string oid,
                                                      std::optional<std::string> value,
                                                      std::vector<control> controls) {
    auto sender = detail::requests::extended(std::move(oid), std::move(value));
    auto r = co_await execute(sink, "extended", std::move(sender), std::move(controls));
    if (r.code != LDAP_SUCCESS) {
        co_return to_error(r);
    }
    co_return extended_result{std::move(r.oid), std::move(r.value), std::move(r.controls)};
}

/// A dedicated, non-reconnecting connection behind a pinned_connection.
class lease final : public detail::operation_sink,
                    public detail::connection_listener,
                    public std::enable_shared_from_this<lease> {
public:
    /// only_uri: connect to that URI alone (the failback's probe), else to the client's target.
    lease(asio::any_io_executor executor, std::shared_ptr<const client_options> options,
          std::shared_ptr<asio::ssl::context> tls_context, std::shared_ptr<server_target> target,
          std::optional<std::size_t> only_uri = std::nullopt)
        : executor_(executor),
          options_(std::move(options)),
          tls_context_(std::move(tls_context)),
          target_(std::move(target)),
          only_uri_(only_uri),
          changed_(executor, 16) {}
    ~lease() override {
        if (connection_) {
            connection_->stop();
        }
    }

    void start() {
        connection_ = std::make_shared<connection>(executor_, options_, tls_context_,
                                                   weak_from_this(), target_, false, only_uri_);
        connection_->start();
    }

    /// Ends the attempt or the link now; wait_ready() then returns false.
    void stop() { connection_->stop(); }

    /// Still connecting or binding (neither bound nor failed).
    bool attempting() const {
        const auto s = connection_->state();
        return s == link_state::idle || s == link_state::connecting;
    }

    /// True once bound; false when the attempt failed or the deadline passed.
    asio::awaitable<bool> wait_ready(clock::time_point deadline) {
        using namespace asio::experimental::awaitable_operators;
        asio::steady_timer timer(co_await asio::this_coro::executor);
        for (;;) {
            switch (connection_->state()) {
                case link_state::ready:
                    co_return true;
                case link_state::down:
                case link_state::stopped:
                    co_return false;
                default:
                    break;
            }
            if (clock::now() >= deadline) {
                co_return false;
            }
            timer.expires_at(deadline);
            co_await (changed_.async_receive(asio::as_tuple(use_awaitable)) ||
                      timer.async_wait(asio::as_tuple(use_awaitable)));
        }
    }

    void submit(operation_ptr op) override { connection_->submit(std::move(op)); }
    const client_options& options() const override { return *options_; }
    bool connected() const override { return connection_->state() == link_state::ready; }
    server_features features() const override { return connection_->features(); }

    void on_state_change() override { changed_.try_send(boost::system::error_code{}); }
    void on_bounce(operation_ptr op) override {
        op->fail(LDAP_SERVER_DOWN, "the pinned LDAP connection is not bound");
    }

private:
    asio::any_io_executor executor_;
    std::shared_ptr<const client_options> options_;
    std::shared_ptr<asio::ssl::context> tls_context_;
    std::shared_ptr<server_target> target_;
    std::optional<std::size_t> only_uri_;
    asio::experimental::concurrent_channel<void(boost::system::error_code)> changed_;
    connection_ptr connection_;
};

/// The client context, when some URI uses TLS or a client certificate is configured. A file
/// that cannot be used stops the client from being built (the config loader checks first).
std::shared_ptr<asio::ssl::context> tls_context_for(const client_options& options) {
    const auto uses_tls = [&](const std::string& text) {
        const auto uri = parse_ldap_uri(text);
        return uri && options.tls.mode_for(*uri) != tls_mode::none;
    };
    const bool needed = !options.tls.cert_file.empty() ||
                        std::any_of(options.uris.begin(), options.uris.end(), uses_tls) ||
                        std::any_of(options.read_uris.begin(), options.read_uris.end(), uses_tls);
    if (!needed) {
        return nullptr;
    }
    std::string why;
    auto context = make_client_tls_context(options.tls, why);
    if (!context) {
        throw std::runtime_error(why);
    }
    return context;
}

/// The options of the replica pool: read_uris in the place of uris; null when there are none.
std::shared_ptr<const client_options> replica_options(const client_options& options) {
    if (options.read_uris.empty()) {
        return nullptr;
    }
    auto replicas = std::make_shared<client_options>(options);
    replicas->uris = options.read_uris;
    return replicas;
}

}  // namespace

class client_impl final : public detail::operation_sink,
                          public detail::connection_listener,
                          public std::enable_shared_from_this<client_impl> {
public:
    client_impl(std::vector<asio::any_io_executor> executors, client_options options)
        : executor_(executors.at(0)),
          pool_executors_(std::move(executors)),
          strand_(asio::make_strand(executor_)),
          options_(std::make_shared<const client_options>(std::move(options))),
          tls_context_(tls_context_for(*options_)),
          target_(std::make_shared<server_target>(options_->uris.size())),
          read_options_(replica_options(*options_)),
          read_target_(std::make_shared<server_target>(options_->read_uris.size())),
          waiting_timer_(strand_),
          failback_timer_(strand_),
          csn_leases_(options_->uris.size()),
          csn_retry_at_(options_->uris.size()) {}

    /// The connections are spread over the executors in turn, at least one on each; as many
    /// again to the replicas when there are read_uris.
    void create_pool() {
        const std::size_t size = std::max(options_->pool_size, pool_executors_.size());
        for (std::size_t i = 0; i < size; ++i) {
            const auto& executor = pool_executors_[i % pool_executors_.size()];
            pool_.push_back(std::make_shared<connection>(executor, options_, tls_context_,
                                                         weak_from_this(), target_));
            if (read_options_) {
                read_pool_.push_back(std::make_shared<connection>(
                    executor, read_options_, tls_context_, weak_from_this(), read_target_));
            }
        }
        // Called on the thread of the connection that failed; the client may be gone by then.
        target_->on_change([weak = weak_from_this()](std::size_t from, std::size_t to) {
            if (auto self = weak.lock()) {
                self->target_moved(self->pool_, self->options_->uris, from, to, "the target");
            }
        });
        read_target_->on_change([weak = weak_from_this()](std::size_t from, std::size_t to) {
            if (auto self = weak.lock()) {
                self->target_moved(self->read_pool_, self->options_->read_uris, from, to,
                                   "the replica for reads");
            }
        });
        if (options_->confirm_writes.count() > 0 && options_->uris.size() > 1) {
            confirmer_ = std::make_shared<write_confirmer>(
                strand_, options_->uris.size(), [target = target_] { return target->current(); },
                [weak = weak_from_this()](std::size_t i) {
                    return read_context_csn(weak.lock(), i);
                },
                [weak = weak_from_this()](std::size_t i, search_request request) {
                    return find_entry(weak.lock(), i, std::move(request));
                },
                options_->confirm_writes, confirm_pace);
        }
        // The handles are this client's last member, so they are removed first when it goes,
        // and removal waits for a scrape in progress: the scrape may use `this` without owning
        // it (owning it could make the scrape the last owner, destroying the client inside it).
        metrics_ = watch_pool(
            [this] {
                std::vector<connection_view> out;
                for (const auto& c : pool_) {
                    out.push_back({c->uri(), link_state_name(c->state()), false});
                }
                for (const auto& c : read_pool_) {
                    out.push_back({c->uri(), link_state_name(c->state()), true});
                }
                return out;
            },
            [this] { return waiting_size_.load(std::memory_order_relaxed); });
    }

    void start() {
        if (started_.exchange(true)) {
            return;
        }
        for (auto& c : pool_) {
            c->start();
        }
        for (auto& c : read_pool_) {
            c->start();
        }
        if (options_->failback_after.count() > 0 && options_->uris.size() > 1) {
            failback_running_.store(true, std::memory_order_release);
            asio::co_spawn(strand_, failback_loop(shared_from_this()), asio::detached);
        }
    }

    void stop() {
        if (stopped_.exchange(true)) {
            return;
        }
        for (auto& c : pool_) {
            c->stop();
        }
        for (auto& c : read_pool_) {
            c->stop();
        }
        asio::post(strand_, [self = shared_from_this()] {
            self->fail_waiting(LDAP_SERVER_DOWN, "LDAP client stopped");
            self->waiting_timer_.cancel();
            self->failback_timer_.cancel();
            if (self->failback_probe_) {
                self->failback_probe_->stop();
            }
            for (auto& l : self->csn_leases_) {
                if (l) {
                    l->stop();
                }
            }
        });
        if (confirmer_) {
            confirmer_->stop();
        }
    }

    void confirm_under(std::vector<std::string> bases) {
        asio::post(strand_, [self = shared_from_this(), bases = std::move(bases)]() mutable {
            self->written_bases_ = std::move(bases);
        });
    }

    asio::awaitable<replication> confirm_writes(std::optional<search_request> created) {
        if (!confirmer_) {
            co_return replication::off;
        }
        const auto started = clock::now();
        const auto outcome = co_await confirmer_->confirm(std::move(created));
        record_write_confirmation(replication_name(outcome), clock::now() - started);
        co_return outcome;
    }

    asio::awaitable<result<pinned_connection>> pinned() {
        auto l = std::make_shared<lease>(executor_, options_, tls_context_, target_);
        l->start();
        const auto deadline = clock::now() + options_->operation_timeout;
        const bool ready = co_await l->wait_ready(deadline);
        if (!ready) {
            co_return op_error{
                make_error(LDAP_SERVER_DOWN), "no dedicated LDAP connection could be bound", {}};
        }
        std::shared_ptr<detail::operation_sink> sink = l;
        co_return pinned_connection(sink);
    }

    void submit(operation_ptr op) override {
        if (stopped_) {
            op->fail(LDAP_SERVER_DOWN, "LDAP client stopped");
            return;
        }
        if (op->replica_ok()) {
            // A replica when one is bound; else the write target (never a wait for a replica).
            if (auto c = pick(read_pool_, op->caller_context())) {
                c->submit(std::move(op));
                return;
            }
        }
        if (auto c = pick(op->caller_context())) {
            c->submit(std::move(op));
            return;
        }
        asio::post(strand_, [self = shared_from_this(), op = std::move(op)]() mutable {
            self->enqueue(std::move(op));
        });
    }

    const client_options& options() const override { return *options_; }

    std::atomic<std::size_t>* pending(bool write) override {
        return write ? &pending_writes_ : &pending_reads_;
    }

    bool connected() const override {
        return std::any_of(pool_.begin(), pool_.end(),
                           [](const auto& c) { return c->state() == link_state::ready; });
    }

    bool stopped() const {
        const auto all_stopped = [](const std::vector<connection_ptr>& pool) {
            return std::all_of(pool.begin(), pool.end(),
                               [](const auto& c) { return c->state() == link_state::stopped; });
        };
        return !failback_running_.load(std::memory_order_acquire) &&
               !(confirmer_ && confirmer_->running()) && all_stopped(pool_) &&
               all_stopped(read_pool_);
    }

    std::string last_failure() const {
        if (connected()) {
            return {};
        }
        for (const auto& c : pool_) {
            if (auto why = c->last_failure(); !why.empty()) {
                return why;
            }
        }
        return {};
    }

    std::optional<peer_certificate> tls_peer() const {
        for (const auto& c : pool_) {
            if (c->state() == link_state::ready) {
                return c->tls_peer();
            }
        }
        return std::nullopt;
    }

    server_features features() const override {
        server_features last;
        for (const auto& c : pool_) {
            auto f = c->features();
            if (c->state() == link_state::ready) {
                return f;
            }
            if (!f.supported_controls.empty()) {
                last = std::move(f);
            }
        }
        return last;
    }

    void on_state_change() override {
        asio::post(strand_, [self = shared_from_this()] { self->pump(); });
    }

    /// The URI every connection uses now (ldap.uris[i]).
    const std::string& target_uri() const { return options_->uris.at(target_->current()); }
    void on_bounce(operation_ptr op) override { submit(std::move(op)); }

private:
    /// The least-loaded ready connection, preferring those on the caller's own context (no
    /// hand-off between threads on the way there or back).
    connection_ptr pick(const asio::execution_context* caller = nullptr) const {
        return pick(pool_, caller);
    }

    static connection_ptr pick(const std::vector<connection_ptr>& pool,
                               const asio::execution_context* caller) {
        connection_ptr best;
        std::size_t best_load = 0;
        bool best_local = false;
        for (const auto& c : pool) {
            if (c->state() != link_state::ready) {
                continue;
            }
            const bool local = caller != nullptr && c->context() == caller;
            const auto load = c->load();
            if (!best || (local && !best_local) || (local == best_local && load < best_load)) {
                best = c;
                best_load = load;
                best_local = local;
            }
        }
        return best;
    }

    /// Any thread: every bound connection of `pool` to another URI drains and reconnects to
    /// the target.
    static void target_moved(const std::vector<connection_ptr>& pool,
                             const std::vector<std::string>& uris, std::size_t from, std::size_t to,
                             std::string_view what) {
        spdlog::warn("ldap: {} is now {} (was {}): every connection moves there", what, uris.at(to),
                     uris.at(from));
        record_target_change(uris.at(to));
        for (const auto& c : pool) {
            c->retarget();
        }
    }

    /// While the target is not the first URI: every failback_after, each earlier URI is tried
    /// with a connection of its own (bind and root DSE); the first that answers is the target.
    static asio::awaitable<void> failback_loop(std::shared_ptr<client_impl> self) {
        while (!self->stopped_) {
            self->failback_timer_.expires_after(self->options_->failback_after);
            co_await self->failback_timer_.async_wait(asio::as_tuple(use_awaitable));
            for (std::size_t i = 0; i < self->target_->current() && !self->stopped_; ++i) {
                // On the strand, so stop() can end it; connect, TLS, bind and the root DSE
                // may each take connect_timeout.
                self->failback_probe_ = std::make_shared<lease>(
                    self->executor_, self->options_, self->tls_context_, self->target_, i);
                self->failback_probe_->start();
                const auto deadline = clock::now() + 4 * self->options_->connect_timeout;
                const bool answers = co_await self->failback_probe_->wait_ready(deadline);
                self->failback_probe_.reset();
                if (answers && self->target_->prefer(i)) {
                    break;
                }
            }
        }
        self->failback_running_.store(false, std::memory_order_release);
    }

    /// On strand_, for the write confirmer: the contextCSNs of uris[i] (of each naming context),
    /// read on a connection of its own to that URI; nullopt when it does not answer, and for a
    /// while after that without trying again.
    static asio::awaitable<server_csns> read_context_csn(std::shared_ptr<client_impl> self,
                                                         std::size_t i) {
        if (!self || self->stopped_ || clock::now() < self->csn_retry_at_.at(i)) {
            co_return server_csns{server_csns::state::unknown, {}};
        }
        auto csns = co_await self->read_context_csn_once(i);
        if (csns.answer == server_csns::state::down) {
            self->csn_leases_[i].reset();
            self->csn_retry_at_[i] = clock::now() + self->options_->reconnect_backoff_min;
        }
        co_return csns;
    }

    /// On strand_, for the write confirmer: whether uris[i] holds an entry `request` finds, on
    /// the connection read_context_csn uses; nullopt when it cannot be asked.
    static asio::awaitable<std::optional<bool>> find_entry(std::shared_ptr<client_impl> self,
                                                           std::size_t i, search_request request) {
        if (!self || self->stopped_ || !self->csn_leases_.at(i) ||
            !self->csn_leases_[i]->connected()) {
            co_return std::nullopt;
        }
        std::shared_ptr<detail::operation_sink> sink = self->csn_leases_[i];
        pinned_connection on(sink);
        request.attributes.clear();  // "1.1": whether it is there, nothing more
        request.from_replica = false;
        auto found = co_await on.search(std::move(request));
        if (!found) {
            co_return std::nullopt;
        }
        co_return !found->entries.empty();
    }

    /// A server still connecting after connect_timeout, or not answering a search in
    /// operation_timeout, is silent; its connection is kept for the next round.
    asio::awaitable<server_csns> read_context_csn_once(std::size_t i) {
        using heard = server_csns::state;
        auto& l = csn_leases_[i];
        if (!l || !(l->connected() || l->attempting())) {  // none yet, or lost since last time
            l = std::make_shared<lease>(executor_, options_, tls_context_, target_, i);
            l->start();
        }
        const auto held = l;  // a stop() may reset the slot while this awaits
        if (!co_await held->wait_ready(clock::now() + options_->connect_timeout)) {
            co_return server_csns{held->attempting() ? heard::silent : heard::down, {}};
        }
        const auto failed = [this](const op_error& e) {
            if (e.result_code() == LDAP_TIMEOUT) {
                return server_csns{heard::silent, {}};
            }
            if (e.is_transient()) {
                return server_csns{heard::down, {}};
            }
            warn_no_context_csn(e.diagnostic);
            return server_csns{heard::held, {}};  // it answers, but shows nothing to compare
        };
        // The connection read the root DSE when it bound.
        const auto all_contexts = held->features().naming_contexts;
        auto contexts = contexts_holding(all_contexts, written_bases_);
        if (contexts.empty() && !all_contexts.empty()) {
            warn_once(warned_no_base_context_,
                      "ldap: confirm_writes: no naming context of the server holds the tenants' "
                      "bases; comparing the contextCSN of all of them");
            contexts = all_contexts;
        }
        std::shared_ptr<detail::operation_sink> sink = held;
        pinned_connection on(sink);
        csn_set held_csns;
        for (const auto& context : contexts) {
            search_request ask;
            ask.base = dn(context);
            ask.scope = scope::base;
            ask.attributes = {"contextCSN"};
            auto found = co_await on.search(std::move(ask));
            if (!found) {
                co_return failed(found.error());
            }
            for (const auto& e : found->entries) {
                if (const auto* values = e.find("contextCSN")) {
                    held_csns.add(context, *values);
                }
            }
        }
        if (held_csns.empty()) {
            warn_no_context_csn("no contextCSN in the naming contexts of the root DSE");
        }
        co_return server_csns{heard::held, std::move(held_csns)};
    }

    /// Once per client: ldap.confirm_writes cannot work against this directory as configured.
    void warn_no_context_csn(const std::string& why) {
        warn_once(warned_no_csn_,
                  "ldap: confirm_writes cannot read the providers' contextCSN (" + why +
                      "): writes are answered unconfirmed. It needs syncprov and a bind DN that "
                      "may read namingContexts and contextCSN (docs/scale-out.md)");
    }

    static void warn_once(std::atomic<bool>& warned, const std::string& message) {
        if (!warned.exchange(true)) {
            spdlog::warn("{}", message);
        }
    }

    /// True while some connection may still become ready without outside help.
    bool attempt_pending() const {
        return std::any_of(pool_.begin(), pool_.end(), [](const auto& c) {
            const auto s = c->state();
            return s == link_state::idle || s == link_state::connecting || s == link_state::ready;
        });
    }

    // On strand_ from here on.
    void enqueue(operation_ptr op) {
        if (op->done()) {
            return;
        }
        if (stopped_) {
            op->fail(LDAP_SERVER_DOWN, "LDAP client stopped");
            return;
        }
        if (auto c = pick(op->caller_context())) {
            c->submit(std::move(op));
            return;
        }
        const auto deadline = op->deadline();
        waiting_.push_back(std::move(op));
        waiting_size_.store(waiting_.size(), std::memory_order_relaxed);
        arm_waiting_timer(deadline);
        if (!attempt_pending()) {
            // Every link is in backoff: have them retry soon for this caller; if none can,
            // fail now rather than hold the caller for its whole timeout.
            bool any = false;
            for (auto& c : pool_) {
                any = c->kick() || any;
            }
            if (!any) {
                fail_waiting(LDAP_SERVER_DOWN, "no LDAP server reachable");
            }
        }
    }

    void pump() {
        while (!waiting_.empty()) {
            auto c = pick();
            if (!c) {
                break;
            }
            auto op = std::move(waiting_.front());
            waiting_.pop_front();
            if (!op->done()) {
                c->submit(std::move(op));
            }
        }
        waiting_size_.store(waiting_.size(), std::memory_order_relaxed);
        if (!waiting_.empty() && !attempt_pending()) {
            fail_waiting(LDAP_SERVER_DOWN, "no LDAP server reachable");
        }
    }

    void fail_waiting(int code, const std::string& why) {
        auto failed = std::move(waiting_);
        waiting_.clear();
        waiting_size_.store(0, std::memory_order_relaxed);
        for (auto& op : failed) {
            op->fail(code, why);
        }
    }

    void arm_waiting_timer(clock::time_point deadline) {
        if (waiting_armed_ && *waiting_armed_ <= deadline) {
            return;
        }
        waiting_armed_ = deadline;
        waiting_timer_.expires_at(deadline);
        waiting_timer_.async_wait(asio::bind_executor(
            strand_, [self = shared_from_this(), deadline](boost::system::error_code ec) {
                if (ec || self->waiting_armed_ != deadline) {
                    return;
                }
                self->waiting_armed_.reset();
                self->expire_waiting();
            }));
    }

    void expire_waiting() {
        const auto now = clock::now();
        std::optional<clock::time_point> next;
        std::deque<operation_ptr> kept;
        for (auto& op : waiting_) {
            if (op->done()) {
                continue;
            }
            if (op->deadline() <= now) {
                op->fail(LDAP_TIMEOUT, "no LDAP connection became ready within " +
                                           std::to_string(options_->operation_timeout.count()) +
                                           " ms");
                continue;
            }
            next = next ? std::min(*next, op->deadline()) : op->deadline();
            kept.push_back(std::move(op));
        }
        waiting_ = std::move(kept);
        waiting_size_.store(waiting_.size(), std::memory_order_relaxed);
        if (next) {
            arm_waiting_timer(*next);
        }
    }

    asio::any_io_executor executor_;
    std::vector<asio::any_io_executor> pool_executors_;
    asio::strand<asio::any_io_executor> strand_;
    std::shared_ptr<const client_options> options_;
    std::shared_ptr<asio::ssl::context> tls_context_;  // null when no URI uses TLS
    std::vector<connection_ptr> pool_;                 // fixed after construction
    std::atomic<bool> started_{false};
    std::atomic<bool> stopped_{false};
    std::deque<operation_ptr> waiting_;
    std::atomic<std::size_t> waiting_size_{0};   // waiting_.size(), for the scrape
    std::atomic<std::size_t> pending_reads_{0};  // outstanding, for the back-pressure bound
    std::atomic<std::size_t> pending_writes_{0};
    std::shared_ptr<server_target> target_;               // shared with every connection and lease
    std::shared_ptr<const client_options> read_options_;  // null without read_uris
    std::shared_ptr<server_target> read_target_;
    std::vector<connection_ptr> read_pool_;  // fixed after construction
    asio::steady_timer waiting_timer_;
    asio::steady_timer failback_timer_;
    std::shared_ptr<lease> failback_probe_;      // on strand_: the earlier URI being tried
    std::atomic<bool> failback_running_{false};  // stopped() waits for the loop's end
    std::optional<clock::time_point> waiting_armed_;
    std::shared_ptr<write_confirmer> confirmer_;  // null unless confirm_writes and ≥ 2 URIs
    // On strand_, for the confirmer: a connection to each URI and when to try a silent one again.
    std::vector<std::shared_ptr<lease>> csn_leases_;
    std::vector<clock::time_point> csn_retry_at_;
    std::vector<std::string> written_bases_;  // confirm_under()
    std::atomic<bool> warned_no_csn_{false};
    std::atomic<bool> warned_no_base_context_{false};
    std::vector<metrics::registry::collector_handle> metrics_;
};

// g++ 12 destroys a converted shared_ptr twice when it initializes a coroutine parameter:
// coroutines only ever receive lvalue copies of an already-converted sink.
namespace {
std::shared_ptr<detail::operation_sink> as_sink(const std::shared_ptr<client_impl>& impl) {
    return impl;
}
}  // namespace

client::client(asio::any_io_executor executor, client_options options)
    : client(std::vector<asio::any_io_executor>{std::move(executor)}, std::move(options)) {}

client::client(std::vector<asio::any_io_executor> executors, client_options options)
    : impl_(std::make_shared<client_impl>(std::move(executors), std::move(options))) {
    // libldap writes the bind and anything before our batch layer is attached with write(): a
    // server that resets the connection at that moment (a restart) would raise SIGPIPE and
    // end the process. Our own sends use MSG_NOSIGNAL; EPIPE is handled as a lost link.
    static std::once_flag sigpipe_ignored;
    std::call_once(sigpipe_ignored, [] { std::signal(SIGPIPE, SIG_IGN); });
    impl_->create_pool();
}

client::~client() {
    if (impl_) {
        impl_->stop();
    }
}

void client::start() {
    impl_->start();
}
void client::stop() {
    impl_->stop();
}

asio::awaitable<result<search_result>> sink_operations::search(search_request request) {
    return run_search(sink(), std::move(request));
}

asio::awaitable<result<write_result>> sink_operations::add(dn name,
                                                           std::vector<attribute> attributes,
                                                           std::vector<control> controls) {
    auto sender = detail::requests::add(std::move(name), std::move(attributes));
    return run_write(sink(), "add", std::move(sender), std::move(controls));
}

asio::awaitable<result<write_result>> sink_operations::modify(dn name,
                                                              std::vector<modification> changes,
                                                              std::vector<control> controls) {
    auto sender = detail::requests::modify(std::move(name), std::move(changes));
    return run_write(sink(), "modify", std::move(sender), std::move(controls));
}

asio::awaitable<result<write_result>> sink_operations::rename(dn name, std::string new_rdn,
                                                              std::optional<dn> new_superior,
                                                              bool delete_old_rdn,
                                                              std::vector<control> controls) {
    auto sender = detail::requests::rename(std::move(name), std::move(new_rdn),
                                           std::move(new_superior), delete_old_rdn);
    return run_write(sink(), "modrdn", std::move(sender), std::move(controls));
}

asio::awaitable<result<write_result>> sink_operations::remove(dn name,
                                                              std::vector<control> controls) {
    auto sender = detail::requests::remove(std::move(name));
    return run_write(sink(), "delete", std::move(sender), std::move(controls));
}

asio::awaitable<result<extended_result>> sink_operations::extended(std::string oid,
                                                                   std::optional<std::string> value,
                                                                   std::vector<control> controls) {
    return run_extended(sink(), std::move(oid), std::move(value), std::move(controls));
}

std::shared_ptr<detail::operation_sink> client::sink() const {
    return as_sink(impl_);
}

asio::awaitable<result<pinned_connection>> client::pinned() {
    return impl_->pinned();
}

asio::awaitable<result<std::unique_ptr<operations>>> client::session() {
    auto lease = co_await impl_->pinned();
    if (!lease) {
        co_return lease.error();
    }
    co_return std::make_unique<pinned_connection>(std::move(*lease));
}

bool client::connected() const {
    return impl_->connected();
}
std::string client::target() const {
    return impl_->target_uri();
}

bool client::stopped() const {
    return impl_->stopped();
}
void client::confirm_under(std::vector<std::string> bases) {
    impl_->confirm_under(std::move(bases));
}

asio::awaitable<replication> client::confirm_writes(std::optional<search_request> created) {
    const auto impl = impl_;
    co_return co_await impl->confirm_writes(std::move(created));
}
std::string client::last_failure() const {
    return impl_->last_failure();
}
std::optional<peer_certificate> client::tls_peer() const {
    return impl_->tls_peer();
}
server_features client::features() const {
    return impl_->features();
}

pinned_connection::pinned_connection(std::shared_ptr<detail::operation_sink> sink)
    : sink_(std::move(sink)) {}
pinned_connection::pinned_connection() = default;
pinned_connection::pinned_connection(pinned_connection&&) noexcept = default;
pinned_connection& pinned_connection::operator=(pinned_connection&&) noexcept = default;
pinned_connection::~pinned_connection() = default;

std::shared_ptr<detail::operation_sink> pinned_connection::sink() const {
    return sink_;
}

asio::awaitable<result<std::unique_ptr<operations>>> pinned_connection::session() {
    co_return std::unique_ptr<operations>(new pinned_connection(sink_));
}

bool pinned_connection::connected() const {
    return sink_ && sink_->connected();
}
server_features pinned_connection::features() const {
    return sink_ ? sink_->features() : server_features{};
}

}  // namespace scimldap::ldap
