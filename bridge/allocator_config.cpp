// jemalloc's settings for the service binary (read by jemalloc at start; MALLOC_CONF overrides).
//
// background_thread: a jemalloc thread returns freed pages while the bridge is idle, so the
// memory of a burst (a 100,000-user walk takes ~130 MiB) goes back to the system within
// seconds instead of staying until the next allocation. dirty_decay_ms 5000 and muzzy 0: freed
// pages are purged after 5 s (no cost measured on the lookup path), not kept lazily.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "background_thread:true,dirty_decay_ms:5000,muzzy_decay_ms:0";
}
