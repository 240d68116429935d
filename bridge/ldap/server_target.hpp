// Which of ldap.uris the connections of one client use: all the same one at a time.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace scimldap::ldap {

/// The index into ldap.uris that every connection of a client connects to. One server at a time
/// because writes must reach one provider of a replicated directory at a time: slapd's unique
/// overlay checks only its own database, so two creates of one userName on two providers could
/// both succeed (docs/scale-out.md). The next URI becomes the target when a connection cannot
/// reach it; an earlier one again when the client's failback finds it answering.
class server_target {
public:
    /// count: how many URIs there are (≥ 1); the first is the target.
    explicit server_target(std::size_t count) : count_(count == 0 ? 1 : count) {}
    server_target(const server_target&) = delete;
    server_target& operator=(const server_target&) = delete;

    /// Called with (from, to) after every change, on the thread that made it. Set before use.
    void on_change(std::function<void(std::size_t, std::size_t)> changed) {
        changed_ = std::move(changed);
    }

    std::size_t current() const { return current_.load(std::memory_order_acquire); }

    /// A connection could not reach uris[index]: when that is still the target, the next URI
    /// (after the last, the first) becomes it. Another connection's report of the same failure
    /// changes nothing more. True when the target changed.
    bool failed(std::size_t index) { return move(index, (index + 1) % count_); }

    /// uris[index] answers again and comes before the target: it becomes the target.
    bool prefer(std::size_t index) {
        const std::size_t from = current();
        return index < from && move(from, index);
    }

private:
    bool move(std::size_t from, std::size_t to) {
        std::size_t expected = from;
        if (from == to ||
            !current_.compare_exchange_strong(expected, to, std::memory_order_acq_rel)) {
            return false;
        }
        if (changed_) {
            changed_(from, to);
        }
        return true;
    }

    std::size_t count_;
    std::atomic<std::size_t> current_{0};
    std::function<void(std::size_t, std::size_t)> changed_;
};

}  // namespace scimldap::ldap
