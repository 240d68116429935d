// Identical key walks running at once share one (single flight): 50 concurrent first pages of
// one large query used to walk the whole subtree 50 times, each holding every entry.
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/id_list.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::scim {

/// The walks in flight by query key; safe from any thread.
class shared_walks {
public:
    using walk_result = result<std::shared_ptr<const id_list>>;
    using walker = std::function<boost::asio::awaitable<walk_result>()>;

    /// The ordered ids of `key`: the outcome of the walk already running for it, or else of
    /// `walk`, run now by this caller while later callers with the same key wait for it.
    boost::asio::awaitable<walk_result> run(const std::string& key, const walker& walk);

    /// Whether a walk for `key` is running now.
    bool running(const std::string& key);

    /// The process-wide instance (keys name the tenant).
    static shared_walks& shared();

private:
    struct flight {
        std::optional<walk_result> outcome;
        std::vector<std::shared_ptr<boost::asio::steady_timer>> waiting;
    };
    /// Ends the walk of `key`: its waiters wake with `outcome`.
    void finish(const std::string& key, const std::shared_ptr<flight>& f, walk_result outcome);
    boost::asio::awaitable<walk_result> wait(const std::shared_ptr<flight>& f);

    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<flight>> flights_;
};

}  // namespace scimldap::scim
