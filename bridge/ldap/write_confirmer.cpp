#include "bridge/ldap/write_confirmer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>

namespace scimldap::ldap {
namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

bool answered(const auto& w) {
    return w->outcome.has_value();
}

/// The CSNs of uris[i], read at most once per round.
using round_reads = std::map<std::size_t, server_csns>;
using heard = server_csns::state;

}  // namespace

const char* replication_name(replication r) {
    switch (r) {
        case replication::off:
            return "off";
        case replication::confirmed:
            return "confirmed";
        case replication::unconfirmed:
            return "unconfirmed";
        case replication::source_lost:
            return "source_lost";
        case replication::conflict:
            return "conflict";
    }
    return "off";
}

write_confirmer::write_confirmer(asio::strand<asio::any_io_executor> strand, std::size_t uri_count,
                                 std::function<std::size_t()> target, csn_reader read,
                                 entry_finder find, std::chrono::milliseconds limit,
                                 std::chrono::milliseconds pace)
    : strand_(std::move(strand)),
      uri_count_(uri_count),
      target_(std::move(target)),
      read_(std::move(read)),
      find_(std::move(find)),
      limit_(limit),
      pace_(pace),
      pace_timer_(strand_) {}

asio::awaitable<replication> write_confirmer::confirm(std::optional<search_request> created) {
    auto self = shared_from_this();
    auto on_strand = wait_on_strand(self, std::move(created));
    co_return co_await asio::co_spawn(strand_, std::move(on_strand), use_awaitable);
}

asio::awaitable<replication> write_confirmer::wait_on_strand(
    std::shared_ptr<write_confirmer> self, std::optional<search_request> created) {
    if (self->stopped_) {
        co_return replication::unconfirmed;
    }
    auto w = std::make_shared<waiter>(self->strand_, self->target_());
    w->created = std::move(created);
    w->timer.expires_after(self->limit_);
    self->joining_.push_back(w);
    if (!self->running_.exchange(true)) {
        asio::co_spawn(self->strand_, loop(self), asio::detached);
    }
    // The loop may have answered already: co_spawn runs it here at once when this is its strand.
    if (!w->outcome) {
        co_await w->timer.async_wait(asio::as_tuple(use_awaitable));
    }
    if (!w->outcome) {
        // The limit passed (the round drops it). A source that stopped answering may have
        // taken the writes with it; one that answers holds them.
        w->outcome = w->source_answering ? replication::unconfirmed : replication::source_lost;
    }
    co_return *w->outcome;
}

void write_confirmer::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->pace_timer_.cancel();
        self->answer_all_unconfirmed();
    });
}

bool write_confirmer::running() const {
    return running_.load(std::memory_order_acquire);
}

void write_confirmer::answer(waiter& w, replication outcome) {
    if (!w.outcome) {
        w.outcome = outcome;
        w.timer.cancel();
    }
}

void write_confirmer::answer(std::vector<waiter_ptr>& waiters, replication outcome) {
    for (auto& w : waiters) {
        answer(*w, outcome);
    }
}

void write_confirmer::answer_all_unconfirmed() {
    answer(joining_, replication::unconfirmed);
    for (auto& b : batches_) {
        answer(b.waiters, replication::unconfirmed);
    }
}

bool write_confirmer::idle() const {
    return batches_.empty() &&
           std::all_of(joining_.begin(), joining_.end(), [](const auto& w) { return answered(w); });
}

asio::awaitable<void> write_confirmer::loop(std::shared_ptr<write_confirmer> self) {
    // Whatever ends the loop (an exception included), the next request starts another.
    struct finish {
        write_confirmer& c;
        ~finish() {
            c.answer_all_unconfirmed();
            c.joining_.clear();
            c.batches_.clear();
            c.running_.store(false, std::memory_order_release);
        }
    } const at_end{*self};
    while (!self->stopped_ && !self->idle()) {
        co_await self->round();
        if (!self->stopped_ && !self->idle()) {
            self->pace_timer_.expires_after(self->pace_);
            co_await self->pace_timer_.async_wait(asio::as_tuple(use_awaitable));
        }
    }
}

asio::awaitable<void> write_confirmer::confirm_batch(batch& b, std::size_t by) {
    // The requests that created nothing are answered first; they need no lookup.
    for (auto& w : b.waiters) {
        if (!w->created) {
            answer(*w, replication::confirmed);
        }
    }
    // b stays in batches_ meanwhile (only round() changes it); a waiter may reach its limit.
    for (std::size_t w = 0; w < b.waiters.size(); ++w) {
        const auto waiting = b.waiters[w];
        if (waiting->created && !waiting->outcome) {
            // Everything the target held is on `by`: a created entry missing there lost a
            // replication conflict (the other create of its name won) or was deleted meanwhile.
            const auto found = co_await find_(by, *waiting->created);
            if (found == std::optional<bool>(false)) {
                answer(*waiting, replication::conflict);
            }
        }
    }
    answer(b.waiters, replication::confirmed);
}

asio::awaitable<void> write_confirmer::round() {
    round_reads seen;
    const auto read = [&](std::size_t i) -> asio::awaitable<const server_csns*> {
        auto found = seen.find(i);
        if (found == seen.end()) {
            auto csns = co_await read_(i);
            found = seen.emplace(i, std::move(csns)).first;
        }
        co_return &found->second;
    };

    // The requests that joined since the last round wrote before this read of their target.
    auto joining = std::move(joining_);
    joining_.clear();
    std::erase_if(joining, [](const auto& w) { return answered(w); });
    while (!joining.empty()) {
        const std::size_t source = joining.front()->source;
        std::vector<waiter_ptr> same;
        std::erase_if(joining, [&](const auto& w) {
            return w->source == source ? (same.push_back(w), true) : false;
        });
        const auto* mark = co_await read(source);
        if (mark->answer == heard::held && !mark->csns.empty()) {
            batches_.push_back({source, mark->csns, std::move(same)});
        } else if (mark->answer == heard::held) {
            // It shows no contextCSN (no syncprov, or the bind DN may not read it): there is
            // nothing to compare with, so nothing is confirmed.
            answer(same, replication::unconfirmed);
        } else if (mark->answer == heard::unknown) {
            joining_.insert(joining_.end(), same.begin(), same.end());  // the next round
        } else {
            // Whatever it took may be gone with it, and without its mark nothing can be
            // confirmed.
            answer(same, replication::source_lost);
        }
    }

    // Indices, not iterators: a request may join (joining_) while a read is awaited, but only
    // this round changes batches_.
    for (std::size_t b = 0; b < batches_.size() && !stopped_; ++b) {
        std::erase_if(batches_[b].waiters, [](const auto& w) { return answered(w); });
        if (batches_[b].waiters.empty()) {
            continue;
        }
        bool reached = false;
        std::optional<std::size_t> covered_by;
        for (std::size_t i = 0; i < uri_count_ && !covered_by; ++i) {
            if (i == batches_[b].source) {
                continue;
            }
            const auto* other = co_await read(i);
            // A silent server may still answer and catch up: it is waited for, to the limit.
            reached = reached || other->answer == heard::held || other->answer == heard::silent;
            if (other->answer == heard::held && other->csns.covers(batches_[b].mark)) {
                covered_by = i;
            }
        }
        if (covered_by) {
            co_await confirm_batch(batches_[b], *covered_by);
            continue;
        }
        const auto* source = co_await read(batches_[b].source);
        for (auto& w : batches_[b].waiters) {
            w->source_answering = source->answer != heard::silent;
        }
        if (source->answer == heard::down) {
            answer(batches_[b].waiters, replication::source_lost);
        } else if (!reached) {
            answer(batches_[b].waiters, replication::unconfirmed);  // no other provider to wait for
        }
    }
    std::erase_if(batches_, [](const batch& b) {
        return std::all_of(b.waiters.begin(), b.waiters.end(),
                           [](const auto& w) { return answered(w); });
    });
}

}  // namespace scimldap::ldap
