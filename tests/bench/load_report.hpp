// Shared by the benchmark load generators: options, phases (warm-up, measured window), latency
// percentiles, CPU/RSS of this and watched processes, and the JSON report.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::bench {

using bench_clock = std::chrono::steady_clock;

/// CPU and memory of one process at one moment, from /proc/PID/{stat,status}.
struct process_sample {
    bool ok = false;
    double cpu_s = 0;  // utime + stime
    long rss_kb = 0;   // VmRSS
    long hwm_kb = 0;   // VmHWM (peak RSS)
};

process_sample sample_process(pid_t pid);

/// A process whose CPU seconds over the measured window go into the report (--watch NAME=PID).
struct watched_process {
    std::string name;
    pid_t pid = 0;
    process_sample at_start;
    process_sample at_end;
};

/// The options every generator shares.
struct load_options {
    unsigned concurrency = 8;
    double duration_s = 10;
    double warmup_s = 2;
    std::uint64_t requests = 0;  // >0: stop after this many measured operations instead
    std::uint64_t users = 100000;
    std::uint64_t seed = 1;
    std::string label;
    std::vector<watched_process> watched;
};

/// Next value of the current option, or throws naming it.
using value_reader = std::function<std::string()>;

/// Consumes one shared option; false when arg is not one of them.
bool parse_load_option(std::string_view arg, const value_reader& value, load_options& options);

extern const char* const load_options_usage;

/// Owns the phases of a run and everything measured in the window; the generator calls
/// begin() once connected, then tick()/record()/error() as operations complete.
class load_run {
public:
    explicit load_run(load_options options);

    void begin();
    /// Moves warm-up -> measuring -> finished as time (or the request count) says.
    void tick(bench_clock::time_point now);
    bool measuring() const { return phase_ == phase::measuring; }
    bool finished() const { return phase_ == phase::finished; }
    /// An operation that completed at `now` after starting at `sent`.
    void record(bench_clock::time_point sent, bench_clock::time_point now);
    void error(std::string_view what);
    /// A uniformly random user number in [0, users).
    std::uint64_t random_user();
    std::mt19937_64& random() { return random_; }
    const load_options& options() const { return options_; }

    /// The JSON report (one line) for tool.
    std::string report(std::string_view tool) const;

private:
    enum class phase { idle, warmup, measuring, finished };
    void start_window(bench_clock::time_point now);
    void end_window(bench_clock::time_point now);

    load_options options_;
    phase phase_ = phase::idle;
    bench_clock::time_point warmup_start_;
    bench_clock::time_point window_start_;
    bench_clock::time_point window_end_;
    double cpu_at_start_ = 0;
    double cpu_at_end_ = 0;
    std::vector<std::uint64_t> latencies_ns_;
    std::uint64_t errors_ = 0;
    std::string first_error_;
    std::mt19937_64 random_;
    std::uniform_int_distribution<std::uint64_t> user_distribution_;
};

/// Replaces every "{K}" in text with k.
std::string substitute_user(std::string_view text, std::uint64_t k);

}  // namespace scimldap::bench
