// Hands an IO thread's allocator cache back to the allocator once the thread has gone quiet.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace scimldap::cli {

/// Runs on one IO thread until its context stops: every `period`, if the thread allocated
/// little since the last look, flushes its jemalloc thread cache so the pages that cache kept
/// can be purged. Returns at once when the process does not run on jemalloc.
boost::asio::awaitable<void> release_thread_cache_when_quiet(
    std::chrono::steady_clock::duration period);

}  // namespace scimldap::cli
