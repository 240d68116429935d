#include "bridge/cli/thread_cache_release.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <cstdint>

// jemalloc's control interface. Weak: only the service binary links jemalloc (sanitized builds
// and the test binaries run on another allocator, where this is null and nothing is done).
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

namespace scimldap::cli {

namespace asio = boost::asio;

namespace {

// Below this many bytes allocated in a period the thread counts as quiet. A busy IO thread
// allocates megabytes a second; an idle one, only what its timers and probes need.
constexpr std::uint64_t quiet_bytes = 256 * 1024;

/// Bytes the calling thread has ever allocated (jemalloc's per-thread counter); 0 if unknown.
std::uint64_t allocated_by_this_thread() {
    std::uint64_t bytes = 0;
    std::size_t size = sizeof bytes;
    if (mallctl("thread.allocated", &bytes, &size, nullptr, 0) != 0) {
        return 0;
    }
    return bytes;
}

}  // namespace

asio::awaitable<void> release_thread_cache_when_quiet(std::chrono::steady_clock::duration period) {
    if (mallctl == nullptr) {
        co_return;
    }
    // DESIGN: jemalloc trims a thread's cache only as that thread allocates (tcache GC), so
    // after a burst an idle IO thread keeps every object it cached, and the slabs under them
    // stay resident: about 5 MB after 256 clients had come and gone (docs/reliability.md §5).
    // Flushing on a quiet thread costs nothing a request would notice; flushing a busy one
    // would only make it refill.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::uint64_t seen = allocated_by_this_thread();
    for (;;) {
        timer.expires_after(period);
        const auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) {
            co_return;
        }
        const std::uint64_t now = allocated_by_this_thread();
        if (now - seen < quiet_bytes) {
            mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
        }
        seen = now;
    }
}

}  // namespace scimldap::cli
