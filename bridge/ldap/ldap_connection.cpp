// The libldap handle lives on one strand. libldap never touches the socket on its own: Asio
// reads it into read_feed, from which libldap parses (ldap_result with a zero timeout, drained
// while the feed has bytes), and libldap's writes land in our batch layer, flushed once per
// strand turn.
#include "bridge/ldap/ldap_connection.hpp"

#include "base/ldap_uri.hpp"
#include "bridge/ldap/entry_decode.hpp"
#include "bridge/ldap/ldap_metrics.hpp"

#include <openldap.h>  // ldap_init_fd: libldap on a socket we connected
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace scimldap::ldap::detail {
namespace asio = boost::asio;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

namespace {

// What an attempt that stop() cut short reports (never logged: abandon_attempt sees stopping_).
constexpr const char* stopped_attempt = "the LDAP client was stopped";

constexpr auto as_tuple_awaitable = asio::as_tuple(use_awaitable);

request_sender bind_sender(const client_options& options) {
    if (options.sasl_external) {
        return requests::sasl_external_bind();
    }
    return requests::simple_bind(options.bind_dn, options.password);
}

request_sender root_dse_sender() {
    search_request request;
    request.scope = scope::base;
    request.attributes.push_back("supportedControl");
    request.attributes.push_back("supportedExtension");
    request.attributes.push_back("namingContexts");
    return requests::search(request);
}

std::string take_string(char* s) {
    std::string out = s != nullptr ? s : "";
    ldap_memfree(s);
    return out;
}

}  // namespace

connection::connection(asio::any_io_executor executor,
                       std::shared_ptr<const client_options> options,
                       std::shared_ptr<asio::ssl::context> tls_context,
                       std::weak_ptr<connection_listener> listener,
                       std::shared_ptr<server_target> target, bool reconnect,
                       std::optional<std::size_t> only_uri)
    : strand_(asio::make_strand(executor)),
      context_(&asio::query(executor, asio::execution::context)),
      options_(std::move(options)),
      tls_context_(std::move(tls_context)),
      listener_(std::move(listener)),
      deadline_timer_(strand_),
      probe_timer_(strand_),
      backoff_timer_(strand_),
      lost_signal_(strand_),
      reconnect_(reconnect),
      target_(std::move(target)),
      only_uri_(only_uri) {
    if (only_uri_) {
        uri_index_.store(*only_uri_, std::memory_order_relaxed);
    } else {
        uri_index_.store(target_->current(), std::memory_order_relaxed);
    }
}

connection::~connection() {
    close_handle();
}

void connection::start() {
    asio::co_spawn(strand_, run(), asio::detached);
}

void connection::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->stopping_ = true;
        if (self->link_) {
            self->link_->close();  // a resolve, connect or handshake under way ends now
        }
        self->lose(LDAP_SERVER_DOWN, "LDAP client stopped");
        self->backoff_timer_.expires_at(clock::time_point::min());
        self->lost_signal_.cancel();
        self->set_state(link_state::stopped);
    });
}

void connection::retarget() {
    asio::post(strand_, [self = shared_from_this()] {
        if (self->stopping_ || self->only_uri_ || self->ld_ == nullptr ||
            self->state() != link_state::ready ||
            self->uri_index_.load(std::memory_order_relaxed) == self->target_->current()) {
            return;
        }
        self->draining_ = true;
        self->set_state(link_state::connecting);  // the pool sends it nothing more
        self->end_drain_when_idle();
    });
}

void connection::end_drain_when_idle() {
    if (!draining_) {
        return;
    }
    if (uri_index_.load(std::memory_order_relaxed) == target_->current()) {
        draining_ = false;  // the target came back here while the link drained: keep it
        set_state(link_state::ready);
        return;
    }
    if (in_flight_.empty()) {
        draining_ = false;
        lose(LDAP_SERVER_DOWN, "the LDAP target moved");
    }
}

bool connection::kick() {
    auto expected = link_state::down;
    // Switched here, synchronously, so the caller sees a pending attempt and keeps waiting.
    if (!state_.compare_exchange_strong(expected, link_state::connecting,
                                        std::memory_order_acq_rel)) {
        return false;
    }
    asio::post(strand_, [self = shared_from_this()] {
        const auto earliest = self->last_attempt_ + self->options_->reconnect_backoff_min;
        if (self->backoff_timer_.expiry() > earliest) {
            self->backoff_timer_.expires_at(earliest);  // wakes run(), which waits until then
        }
    });
    return true;
}

void connection::submit(operation_ptr op) {
    queued_.fetch_add(1, std::memory_order_relaxed);
    asio::post(strand_, [self = shared_from_this(), op = std::move(op)]() mutable {
        self->queued_.fetch_sub(1, std::memory_order_relaxed);
        if (op->done()) {
            return;
        }
        if (self->state() != link_state::ready || self->ld_ == nullptr) {
            if (auto l = self->listener_.lock()) {
                l->on_bounce(std::move(op));
            } else {
                op->fail(LDAP_SERVER_DOWN, "LDAP connection closed");
            }
            return;
        }
        if (clock::now() >= op->deadline()) {
            op->fail(LDAP_TIMEOUT, "operation timed out before it could be sent");
            return;
        }
        self->issue(op);
    });
}

server_features connection::features() const {
    std::lock_guard lock(features_mutex_);
    return features_;
}

std::string_view link_state_name(link_state s) {
    switch (s) {
        case link_state::idle:
            return "idle";
        case link_state::connecting:
            return "connecting";
        case link_state::ready:
            return "ready";
        case link_state::down:
            return "down";
        case link_state::stopped:
        default:
            return "stopped";
    }
}

const std::string& connection::uri() const {
    static const std::string none;
    const auto i = uri_index_.load(std::memory_order_relaxed);
    return i < options_->uris.size() ? options_->uris[i] : none;
}

void connection::set_state(link_state s) {
    state_.store(s, std::memory_order_release);
    if (auto l = listener_.lock()) {
        l->on_state_change();
    }
}

asio::awaitable<void> connection::run() {
    auto self = shared_from_this();
    auto backoff = options_->reconnect_backoff_min;
    while (!stopping_) {
        set_state(link_state::connecting);
        last_attempt_ = clock::now();
        bool up = false;
        // Failover: a URI that cannot be reached makes the next one every connection's target.
        const std::size_t attempts = only_uri_ ? 1 : options_->uris.size();
        for (std::size_t attempt = 0; attempt < attempts && !stopping_; ++attempt) {
            const std::size_t i = only_uri_ ? *only_uri_ : target_->current();
            const std::string& uri = options_->uris[i];
            uri_index_.store(i, std::memory_order_relaxed);
            up = co_await establish(uri);
            if (up && !only_uri_ && target_->current() != i) {
                close_handle();  // the target moved while this one connected: start again there
                up = false;
                continue;
            }
            // An attempt that stop() cut short says nothing about the server.
            if (!up && !stopping_ && !only_uri_) {
                target_->failed(i);
            }
            if (up) {
                if (was_up_) {
                    record_reconnect(uri);
                }
                was_up_ = true;
                const auto peer = tls_peer();
                if (peer) {
                    spdlog::info(
                        "ldap: connected to {} ({}, certificate of {} issued by {}, "
                        "valid until {})",
                        uri, peer->protocol, peer->subject, peer->issuer, peer->not_after);
                } else {
                    spdlog::info("ldap: connected to {}", uri);
                }
                break;
            }
        }
        if (stopping_) {
            break;
        }
        if (up && ld_ != nullptr) {
            backoff = options_->reconnect_backoff_min;
            set_state(link_state::ready);
            if (options_->probe_interval.count() > 0) {
                asio::co_spawn(strand_, probe_loop(generation_), asio::detached);
            }
            lost_signal_.expires_at(clock::time_point::max());
            co_await lost_signal_.async_wait(as_tuple_awaitable);
            if (!reconnect_) {
                break;
            }
            continue;  // lost: one immediate attempt, then backoff
        }
        if (!reconnect_) {
            break;
        }
        set_state(link_state::down);
        was_up_ = true;  // the next success, after a failed attempt, is a reconnect too
        backoff_timer_.expires_after(backoff);
        // kick() may move the expiry earlier: that cancels the wait, so wait again until then.
        while (!stopping_ && clock::now() < backoff_timer_.expiry()) {
            co_await backoff_timer_.async_wait(as_tuple_awaitable);
        }
        backoff = std::min(backoff * 2, options_->reconnect_backoff_max);
    }
    close_handle();
    set_state(link_state::stopped);
}

asio::awaitable<bool> connection::establish(const std::string& uri_text) {
    close_handle();
    std::string why;
    const std::optional<ldap_uri> uri = parse_ldap_uri(uri_text, &why);
    if (!uri) {
        abandon_attempt("bad URI " + uri_text + ": " + why);
        co_return false;
    }
    if (auto failed = co_await open(*uri); !failed.empty()) {
        abandon_attempt(std::move(failed));
        co_return false;
    }
    // Senders are built outside the co_await expressions: g++ 12 mishandles temporaries with
    // destructors (and initializer lists) inside them.
    auto bind = bind_sender(*options_);
    auto bound = co_await exchange(std::move(bind));
    if (stopping_ || bound.code != LDAP_SUCCESS) {
        abandon_attempt("bind to " + uri->where() + " as '" + options_->bind_dn +
                        "' failed: " + ldap_err2string(bound.code) +
                        (bound.diagnostic.empty() ? "" : " (" + bound.diagnostic + ")"));
        co_return false;
    }
    auto read_root_dse = root_dse_sender();
    auto dse = co_await exchange(std::move(read_root_dse));
    if (stopping_ || dse.code != LDAP_SUCCESS || ld_ == nullptr) {
        abandon_attempt("root DSE of " + uri->where() +
                        " unreadable: " + ldap_err2string(dse.code));
        co_return false;
    }
    server_features found;
    if (!dse.entries.empty()) {
        if (const auto* v = dse.entries.front().find("supportedControl")) {
            found.supported_controls = *v;
        }
        if (const auto* v = dse.entries.front().find("supportedExtension")) {
            found.supported_extensions = *v;
        }
        if (const auto* v = dse.entries.front().find("namingContexts")) {
            found.naming_contexts = *v;
        }
    }
    std::lock_guard lock(features_mutex_);
    features_ = std::move(found);
    last_failure_.clear();
    peer_ = link_ ? link_->peer() : std::nullopt;
    co_return true;
}

asio::awaitable<std::string> connection::open(const ldap_uri& uri) {
    auto link = std::make_shared<ldap_link>(strand_);
    link_ = link;
    if (auto failed = co_await link->connect(uri, options_->connect_timeout); !failed.empty()) {
        co_return failed;
    }
    const tls_mode tls = options_->tls.mode_for(uri);
    if (tls == tls_mode::ldaps) {
        if (auto failed = co_await start_tls(uri); !failed.empty()) {
            co_return failed;
        }
    }
    if (stopping_ || link_ != link) {
        co_return stopped_attempt;
    }
    if (auto failed = adopt_link(uri); !failed.empty()) {
        co_return failed;
    }
    start_reading();
    if (tls == tls_mode::starttls) {
        // The link by address: g++ 12 destroys argument temporaries inside co_await twice.
        co_return co_await upgrade_with_starttls(uri, link.get());
    }
    co_return std::string{};
}

asio::awaitable<std::string> connection::upgrade_with_starttls(const ldap_uri& uri,
                                                               const ldap_link* link) {
    // RFC 4513 §3: the request and its response in clear, then the handshake on the same
    // socket, then everything else (the bind first).
    pause_reading_ = true;
    auto request = requests::extended(LDAP_EXOP_START_TLS, std::nullopt);
    auto answer = co_await exchange(std::move(request));
    if (stopping_ || ld_ == nullptr) {
        co_return stopped_attempt;
    }
    if (answer.code != LDAP_SUCCESS) {
        co_return "StartTLS refused by " + uri.where() + ": " + ldap_err2string(answer.code) +
            (answer.diagnostic.empty() ? "" : " (" + answer.diagnostic + ")");
    }
    // Bytes after the response came in clear, where anyone on the path could have put them
    // (the CVE-2011-0411 class): libldap would parse them as if TLS protected them.
    if (!feed_->empty()) {
        co_return "StartTLS with " + uri.where() +
            ": the server sent data after its response; refusing the connection";
    }
    if (auto failed = co_await start_tls(uri); !failed.empty()) {
        co_return failed;
    }
    if (stopping_ || ld_ == nullptr || link_.get() != link) {  // stop() came during the handshake
        co_return stopped_attempt;
    }
    pause_reading_ = false;
    start_reading();
    co_return std::string{};
}

asio::awaitable<std::string> connection::start_tls(const ldap_uri& uri) {
    if (!tls_context_) {
        co_return "TLS to " + uri.where() + " is not configured";
    }
    const auto link = link_;
    auto failed = co_await link->start_tls(*tls_context_, uri, options_->tls.verify,
                                           options_->connect_timeout);
    if (failed.empty() && batch_) {
        batch_->set_direct(false);
    }
    co_return failed;
}

std::string connection::adopt_link(const ldap_uri& uri) {
    // libldap gets its own descriptor for the socket: it only ever reaches it through our
    // layers (reads from read_feed, writes into the batch), and closes its copy at unbind.
    const int fd = ::dup(link_->native_handle());
    if (fd < 0) {
        return "cannot duplicate the socket to " + uri.where() + ": " + std::strerror(errno);
    }
    LDAP* ld = nullptr;
    const int proto = link_->is_local() ? LDAP_PROTO_IPC : LDAP_PROTO_TCP;
    if (int rc = ldap_init_fd(fd, proto, uri.text.c_str(), &ld); rc != LDAP_SUCCESS) {
        ::close(fd);
        return "cannot set up libldap for " + uri.where() + ": " + ldap_err2string(rc);
    }
    ld_ = ld;
    const int version = LDAP_VERSION3;
    ldap_set_option(ld_, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld_, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    Sockbuf* sb = nullptr;
    ldap_get_option(ld_, LDAP_OPT_SOCKBUF, &sb);
    // Bottom to top: the TCP layer (unused), read_feed (libldap reads what Asio read from the
    // socket, so libldap never reads or polls it), then the write batch.
    feed_ = std::make_shared<read_feed>();
    batch_ = std::make_unique<write_batch>();
    batch_->set_direct(link_->tls() == nullptr);
    if (!feed_->attach(sb) || !batch_->attach(sb)) {
        return "cannot install the Sockbuf layers";
    }
    sockbuf_ = sb;
    return {};
}

void connection::start_reading() {
    if (!link_ || !feed_) {
        return;
    }
    asio::co_spawn(strand_, read_loop(generation_, link_), asio::detached);
}

void connection::abandon_attempt(std::string why) {
    close_handle();  // nothing of a failed attempt stays open through the backoff
    if (stopping_) {
        return;  // stop() aborted the attempt: nothing failed
    }
    spdlog::warn("ldap: {}", why);
    std::lock_guard lock(features_mutex_);
    last_failure_ = std::move(why);
}

std::string connection::last_failure() const {
    std::lock_guard lock(features_mutex_);
    return last_failure_;
}

std::optional<peer_certificate> connection::tls_peer() const {
    std::lock_guard lock(features_mutex_);
    return peer_;
}

asio::awaitable<response> connection::exchange(request_sender sender) {
    // connect_timeout, not operation_timeout: a server that accepts connections but does not
    // answer (frozen, black-holed) costs one connect step before the next URI is tried.
    auto initiation = [this, deadline = clock::now() + options_->connect_timeout](
                          auto handler, request_sender s) {
        auto resume_on = asio::get_associated_executor(handler);
        issue(std::make_shared<operation>(std::move(s), std::vector<control>{}, deadline,
                                          response_handler(std::move(handler)),
                                          std::move(resume_on)));
    };
    co_return co_await asio::async_initiate<decltype(use_awaitable), void(response)>(
        initiation, use_awaitable, std::move(sender));
}

asio::awaitable<void> connection::read_loop(std::uint64_t generation,
                                            std::shared_ptr<ldap_link> link) {
    auto self = shared_from_this();
    const std::shared_ptr<read_feed> feed = feed_;  // the buffer outlives a pending read
    tls_engine* const tls = link->tls();
    std::vector<char> ciphertext(tls != nullptr ? ldap_link::tls_read_size : 0);
    // Under TLS the socket's bytes are decrypted into the feed; what the handshake left in the
    // session comes first.
    if (tls != nullptr && !decrypt_into(*tls, *feed)) {
        co_return;
    }
    while (generation == generation_ && link_ == link) {
        const std::span<char> room = tls != nullptr ? std::span<char>(ciphertext) : feed->room();
        const asio::mutable_buffer into(room.data(), room.size());
        auto [ec, n] = co_await link->read_some(into);
        if (generation != generation_) {
            co_return;
        }
        if (ec) {
            lose(LDAP_SERVER_DOWN, ec == asio::error::eof
                                       ? std::string("the LDAP server closed the connection")
                                       : "socket read failed: " + ec.message());
            co_return;
        }
        if (tls != nullptr) {
            tls->put_input(ciphertext.data(), n);
            if (!decrypt_into(*tls, *feed)) {
                co_return;
            }
        } else {
            feed->commit(n);
        }
        last_received_ = clock::now();
        drain();
        if (pause_reading_ && in_flight_.empty()) {
            co_return;  // the StartTLS response is in: the handshake reads next
        }
    }
}

bool connection::decrypt_into(tls_engine& tls, read_feed& feed) {
    for (;;) {
        const std::span<char> room = feed.room();
        const auto n = tls.read(room);
        if (!n) {
            lose(LDAP_SERVER_DOWN, "the TLS session with the LDAP server ended");
            return false;
        }
        if (*n == 0) {
            return true;
        }
        feed.commit(*n);
    }
}

void connection::issue(const operation_ptr& op) {
    if (ld_ == nullptr) {
        op->fail(LDAP_SERVER_DOWN, "not connected");
        return;
    }
    int msgid = -1;
    if (int rc = op->send(ld_, &msgid); rc != LDAP_SUCCESS) {
        op->fail(rc, ldap_err2string(rc));
        if (rc == LDAP_SERVER_DOWN) {
            lose(rc, "send failed");
        }
        return;
    }
    op->mark_sent(clock::now());
    in_flight_.emplace(msgid, op);
    active_.store(in_flight_.size(), std::memory_order_relaxed);
    deadlines_.emplace(op->deadline(), msgid);
    arm_deadline_timer();
    request_flush();
}

void connection::drain() {
    // DESIGN: what was read may hold several messages, so keep asking libldap while the feed
    // has bytes ("data ready" comes from read_feed, never from a poll()). A partial message is
    // kept by libldap; the rest comes with the next read.
    while (ld_ != nullptr && ber_sockbuf_ctrl(sockbuf_, LBER_SB_OPT_DATA_READY, nullptr) > 0) {
        if (pause_reading_ && in_flight_.empty()) {
            return;  // after the StartTLS response nothing in clear may be parsed (see establish)
        }
        LDAPMessage* message = nullptr;
        timeval zero{0, 0};
        int rc = ldap_result(ld_, LDAP_RES_ANY, LDAP_MSG_ONE, &zero, &message);
        if (rc == 0) {
            return;
        }
        if (rc < 0) {
            int code = LDAP_SERVER_DOWN;
            ldap_get_option(ld_, LDAP_OPT_RESULT_CODE, &code);
            lose(LDAP_SERVER_DOWN, std::string("LDAP connection lost: ") + ldap_err2string(code));
            return;
        }
        dispatch(message);
    }
}

void connection::dispatch(LDAPMessage* message) {
    const int msgid = ldap_msgid(message);
    const int type = ldap_msgtype(message);
    auto it = in_flight_.find(msgid);
    if (it == in_flight_.end()) {  // answered after a timeout: nobody waits for it
        ldap_msgfree(message);
        return;
    }
    auto& partial = it->second->partial();
    switch (type) {
        case LDAP_RES_SEARCH_ENTRY:
            partial.entries.push_back(parse_entry(ld_, message, it->second->counts_values()));
            ldap_msgfree(message);
            return;
        case LDAP_RES_SEARCH_REFERENCE: {
            char** refs = nullptr;
            if (ldap_parse_reference(ld_, message, &refs, nullptr, 0) == LDAP_SUCCESS) {
                for (auto** r = refs; r != nullptr && *r != nullptr; ++r) {
                    partial.referrals.emplace_back(*r);
                }
                ldap_memvfree(reinterpret_cast<void**>(refs));
            }
            ldap_msgfree(message);
            return;
        }
        case LDAP_RES_INTERMEDIATE:
            ldap_msgfree(message);
            return;
        default:
            break;
    }
    response r = std::move(partial);
    if (type == LDAP_RES_EXTENDED) {
        char* oid = nullptr;
        berval* value = nullptr;
        if (ldap_parse_extended_result(ld_, message, &oid, &value, 0) == LDAP_SUCCESS) {
            if (oid != nullptr) {
                r.oid = take_string(oid);
            }
            if (value != nullptr) {
                r.value = copy_berval(*value);
                ber_bvfree(value);
            }
        }
    }
    int code = LDAP_SUCCESS;
    char* matched = nullptr;
    char* diagnostic = nullptr;
    char** referrals = nullptr;
    LDAPControl** controls = nullptr;
    int rc =
        ldap_parse_result(ld_, message, &code, &matched, &diagnostic, &referrals, &controls, 1);
    if (rc != LDAP_SUCCESS) {
        r.code = rc;
        r.diagnostic = "cannot decode the LDAP result";
    } else {
        r.code = code;
        r.matched_dn = take_string(matched);
        r.diagnostic = take_string(diagnostic);
        for (auto** ref = referrals; ref != nullptr && *ref != nullptr; ++ref) {
            r.referrals.emplace_back(*ref);
        }
        ldap_memvfree(reinterpret_cast<void**>(referrals));
        r.controls = to_controls(controls);
        ldap_controls_free(controls);
    }
    finish(msgid, std::move(r));
}

void connection::finish(int msgid, response r) {
    auto it = in_flight_.find(msgid);
    auto op = std::move(it->second);
    in_flight_.erase(it);
    active_.store(in_flight_.size(), std::memory_order_relaxed);
    deadlines_.erase({op->deadline(), msgid});
    op->complete(std::move(r));
    end_drain_when_idle();
}

void connection::lose(int code, const std::string& why) {
    const bool was_serving = state() == link_state::ready || draining_;
    draining_ = false;
    if (ld_ == nullptr) {
        return;
    }
    const bool was_ready = state() == link_state::ready;
    if (was_serving && !stopping_) {
        spdlog::warn("ldap: {} ({} operations failed)", why, in_flight_.size());
        std::lock_guard lock(features_mutex_);
        last_failure_ = why;  // /readyz says why until the next attempt ends
    }
    auto failed = std::move(in_flight_);
    in_flight_.clear();
    deadlines_.clear();
    active_.store(0, std::memory_order_relaxed);
    if (was_ready) {
        state_.store(link_state::down, std::memory_order_release);
    }
    close_handle();
    for (auto& [msgid, op] : failed) {
        op->fail(code, why);
    }
    lost_signal_.cancel();
}

void connection::close_handle() {
    ++generation_;
    // libldap's duplicate descriptor goes first: Asio's close then ends the last reference to
    // the socket, which also takes it out of epoll (closing Asio's first would leave the open
    // file registered while Asio recycles its state for another socket).
    if (ld_ != nullptr) {
        ldap_unbind_ext(ld_, nullptr, nullptr);
        ld_ = nullptr;
    }
    if (link_) {
        link_->close();  // pending reads end; they hold the link until then
        link_.reset();
    }
    sockbuf_ = nullptr;
    batch_.reset();  // after the unbind: the Sockbuf referenced them until then
    feed_.reset();   // a read still pending holds its own reference
    flush_pending_ = false;
    pause_reading_ = false;
    deadline_timer_.cancel();
    deadline_armed_.reset();
    probe_timer_.cancel();
}

void connection::request_flush() {
    if (flush_pending_ || !batch_ || batch_->empty()) {
        return;
    }
    flush_pending_ = true;
    // Posted: every request queued on the strand before this runs joins the same write().
    asio::post(strand_,
               [self = shared_from_this(), generation = generation_] { self->flush(generation); });
}

void connection::flush(std::uint64_t generation) {
    if (generation != generation_ || !batch_ || !link_) {
        return;
    }
    flush_pending_ = false;
    // Under TLS the requests queued this turn become records in the same buffer, so they
    // still leave in one send().
    if (tls_engine* tls = link_->tls(); tls != nullptr && !batch_->seal(*tls)) {
        lose(LDAP_SERVER_DOWN, "TLS could not encrypt a request");
        return;
    }
    switch (batch_->flush()) {
        case write_batch::flush_status::done:
            return;
        case write_batch::flush_status::would_block:
            flush_pending_ = true;
            link_->async_wait_writable(asio::bind_executor(
                strand_, [self = shared_from_this(), generation](boost::system::error_code ec) {
                    if (generation != self->generation_) {
                        return;
                    }
                    if (ec) {
                        self->lose(LDAP_SERVER_DOWN, "socket wait failed: " + ec.message());
                        return;
                    }
                    self->flush(generation);
                }));
            return;
        case write_batch::flush_status::failed:
            lose(LDAP_SERVER_DOWN, std::string("LDAP write failed: ") + std::strerror(errno));
            return;
    }
}

void connection::arm_deadline_timer() {
    if (deadlines_.empty()) {
        return;
    }
    const auto next = deadlines_.begin()->first;
    if (deadline_armed_ && *deadline_armed_ <= next) {
        return;
    }
    deadline_armed_ = next;
    deadline_timer_.expires_at(next);
    deadline_timer_.async_wait(asio::bind_executor(
        strand_, [self = shared_from_this(), next](boost::system::error_code ec) {
            if (ec || self->deadline_armed_ != next) {
                return;
            }
            self->deadline_armed_.reset();
            self->expire_operations();
        }));
}

void connection::expire_operations() {
    const auto now = clock::now();
    bool abandoned = false;
    bool silent = false;
    // While connecting, requests wait connect_timeout (see exchange()).
    const auto limit = state() == link_state::ready || draining_ ? options_->operation_timeout
                                                                 : options_->connect_timeout;
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        const int msgid = deadlines_.begin()->second;
        deadlines_.erase(deadlines_.begin());
        auto it = in_flight_.find(msgid);
        if (it == in_flight_.end()) {
            continue;
        }
        auto op = std::move(it->second);
        in_flight_.erase(it);
        active_.store(in_flight_.size(), std::memory_order_relaxed);
        silent = silent || last_received_ < op->sent_at();
        if (ld_ != nullptr) {
            // Tells the server to stop and libldap to toss a late answer; lands in the batch.
            ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
            abandoned = true;
        }
        op->fail(LDAP_TIMEOUT,
                 "no answer from the LDAP server within " + std::to_string(limit.count()) + " ms");
    }
    if (silent) {
        // DESIGN: nothing at all came back since a request that has now expired went out.
        // A server that is merely slow on one request still answers the others (or the idle
        // probe); one that says nothing for a whole timeout is frozen or cut off without a
        // FIN, and every request sent on it would wait its full timeout too. Close it and
        // connect again (trying the URIs in order), instead of reusing it.
        lose(LDAP_SERVER_DOWN,
             "the LDAP server sent nothing for " +
                 std::to_string(
                     std::chrono::duration_cast<std::chrono::milliseconds>(now - last_received_)
                         .count()) +
                 " ms; closing the connection");
        return;
    }
    if (abandoned) {
        request_flush();
    }
    end_drain_when_idle();
    if (ld_ == nullptr) {
        return;
    }
    arm_deadline_timer();
}

asio::awaitable<void> connection::probe_loop(std::uint64_t generation) {
    auto self = shared_from_this();
    const auto interval = options_->probe_interval;
    last_received_ = clock::now();  // the bind and root DSE were just answered
    while (generation == generation_ && !stopping_) {
        const auto due = last_received_ + interval;
        if (clock::now() < due) {
            probe_timer_.expires_at(due);
        } else {
            // Requests in flight find a silent server by their own deadlines; an idle
            // connection asks. The answer moves last_received_; its expiry closes the link.
            if (in_flight_.empty()) {
                send_probe();
            }
            probe_timer_.expires_after(interval);
        }
        co_await probe_timer_.async_wait(as_tuple_awaitable);
    }
}

void connection::send_probe() {
    // The cheapest request every LDAPv3 server answers: the root DSE, no attributes.
    search_request request;
    request.scope = scope::base;
    request.attributes.push_back("1.1");
    auto answered = [](response) {};  // its arrival is all that counts (last_received_)
    auto probe = std::make_shared<operation>(
        requests::search(request), std::vector<control>{},
        clock::now() + options_->operation_timeout,
        response_handler(asio::bind_executor(strand_, std::move(answered))), strand_);
    issue(probe);
}

}  // namespace scimldap::ldap::detail
