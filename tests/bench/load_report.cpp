#include "tests/bench/load_report.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace scimldap::bench {
namespace {

double seconds(bench_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

double own_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto tv = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return tv(usage.ru_utime) + tv(usage.ru_stime);
}

double percentile_ms(std::vector<std::uint64_t>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    // Nearest-rank: the smallest value with at least p of the samples at or below it.
    const auto rank = static_cast<std::size_t>(std::max(1.0, p * sorted.size() + 0.999999));
    return sorted[std::min(rank, sorted.size()) - 1] / 1e6;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

}  // namespace

process_sample sample_process(pid_t pid) {
    process_sample sample;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return sample;
    }
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) {
            utime = std::stod(field);
        } else if (index == 15) {
            stime = std::stod(field);
        }
    }
    sample.cpu_s = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            sample.rss_kb = std::stol(line.substr(6));
        } else if (line.starts_with("VmHWM:")) {
            sample.hwm_kb = std::stol(line.substr(6));
        }
    }
    sample.ok = true;
    return sample;
}

const char* const load_options_usage =
    "  --concurrency C   connections, one operation in flight each (default 8)\n"
    "  --duration S      measured window in seconds (default 10)\n"
    "  --warmup S        seconds of unmeasured load first (default 2)\n"
    "  --requests N      stop after N measured operations instead of --duration\n"
    "  --users N         {K} is uniform in [0, N) (default 100000)\n"
    "  --seed N          random seed (default 1)\n"
    "  --label TEXT      copied into the report\n"
    "  --watch NAME=PID  also report PID's CPU seconds and RSS over the window (repeatable)\n";

bool parse_load_option(std::string_view arg, const value_reader& value, load_options& options) {
    if (arg == "--concurrency") {
        options.concurrency = static_cast<unsigned>(std::stoul(value()));
        if (options.concurrency == 0) {
            throw std::invalid_argument("--concurrency must be at least 1");
        }
    } else if (arg == "--duration") {
        options.duration_s = std::stod(value());
    } else if (arg == "--warmup") {
        options.warmup_s = std::stod(value());
    } else if (arg == "--requests") {
        options.requests = std::stoull(value());
    } else if (arg == "--users") {
        options.users = std::stoull(value());
        if (options.users == 0) {
            throw std::invalid_argument("--users must be at least 1");
        }
    } else if (arg == "--seed") {
        options.seed = std::stoull(value());
    } else if (arg == "--label") {
        options.label = value();
    } else if (arg == "--watch") {
        const std::string spec = value();
        const auto equals = spec.find('=');
        if (equals == std::string::npos || equals == 0) {
            throw std::invalid_argument("--watch needs NAME=PID, not " + spec);
        }
        options.watched.push_back({spec.substr(0, equals),
                                   static_cast<pid_t>(std::stol(spec.substr(equals + 1))),
                                   {},
                                   {}});
    } else {
        return false;
    }
    return true;
}

load_run::load_run(load_options options)
    : options_(std::move(options)),
      random_(options_.seed),
      user_distribution_(0, options_.users - 1) {
    latencies_ns_.reserve(1 << 20);
}

void load_run::begin() {
    warmup_start_ = bench_clock::now();
    phase_ = phase::warmup;
    tick(warmup_start_);
}

void load_run::start_window(bench_clock::time_point now) {
    for (auto& process : options_.watched) {
        process.at_start = sample_process(process.pid);
    }
    cpu_at_start_ = own_cpu_seconds();
    window_start_ = now;
    phase_ = phase::measuring;
}

void load_run::end_window(bench_clock::time_point now) {
    window_end_ = now;
    cpu_at_end_ = own_cpu_seconds();
    for (auto& process : options_.watched) {
        process.at_end = sample_process(process.pid);
    }
    phase_ = phase::finished;
}

void load_run::tick(bench_clock::time_point now) {
    using seconds_d = std::chrono::duration<double>;
    if (phase_ == phase::warmup && seconds_d(now - warmup_start_).count() >= options_.warmup_s) {
        start_window(now);
    }
    if (phase_ != phase::measuring) {
        return;
    }
    const bool by_count = options_.requests > 0;
    if ((by_count && latencies_ns_.size() + errors_ >= options_.requests) ||
        (!by_count && seconds_d(now - window_start_).count() >= options_.duration_s)) {
        end_window(now);
    }
}

void load_run::record(bench_clock::time_point sent, bench_clock::time_point now) {
    if (phase_ == phase::measuring) {
        latencies_ns_.push_back(
            static_cast<std::uint64_t>(std::chrono::nanoseconds(now - sent).count()));
    }
    tick(now);
}

void load_run::error(std::string_view what) {
    if (first_error_.empty()) {
        first_error_ = what;
        std::string line(what);  // one line on stderr: responses quoted here hold CR/LF
        for (char& c : line) {
            if (static_cast<unsigned char>(c) < 0x20) {
                c = ' ';
            }
        }
        std::cerr << "load: first error: " << line << "\n";
    }
    if (phase_ == phase::measuring) {
        ++errors_;
    }
    tick(bench_clock::now());
}

std::uint64_t load_run::random_user() {
    return user_distribution_(random_);
}

std::string load_run::report(std::string_view tool) const {
    std::vector<std::uint64_t> sorted = latencies_ns_;
    std::sort(sorted.begin(), sorted.end());
    const double window = seconds(window_end_ - window_start_);
    const double ops = static_cast<double>(sorted.size());
    const double mean_ms =
        sorted.empty() ? 0 : std::accumulate(sorted.begin(), sorted.end(), 0.0) / ops / 1e6;
    const double cpu = cpu_at_end_ - cpu_at_start_;
    std::ostringstream out;
    out << "{\"tool\":" << json_string(tool) << ",\"label\":" << json_string(options_.label)
        << ",\"concurrency\":" << options_.concurrency << ",\"ops\":" << sorted.size()
        << ",\"errors\":" << errors_ << ",\"seconds\":" << number(window)
        << ",\"ops_per_s\":" << number(window > 0 ? ops / window : 0)
        << ",\"mean_ms\":" << number(mean_ms)
        << ",\"p50_ms\":" << number(percentile_ms(sorted, 0.50))
        << ",\"p90_ms\":" << number(percentile_ms(sorted, 0.90))
        << ",\"p99_ms\":" << number(percentile_ms(sorted, 0.99))
        << ",\"max_ms\":" << number(sorted.empty() ? 0 : sorted.back() / 1e6)
        << ",\"cpu_s\":" << number(cpu)
        << ",\"cpu_us_per_op\":" << number(ops > 0 ? cpu / ops * 1e6 : 0);
    if (!first_error_.empty()) {
        out << ",\"first_error\":" << json_string(first_error_);
    }
    out << ",\"watched\":{";
    bool first = true;
    for (const auto& process : options_.watched) {
        out << (first ? "" : ",") << json_string(process.name) << ":{\"pid\":" << process.pid;
        if (process.at_start.ok && process.at_end.ok) {
            const double used = process.at_end.cpu_s - process.at_start.cpu_s;
            out << ",\"cpu_s\":" << number(used)
                << ",\"ops_per_cpu_s\":" << number(used > 0 ? ops / used : 0)
                << ",\"rss_kb\":" << process.at_end.rss_kb
                << ",\"hwm_kb\":" << process.at_end.hwm_kb;
        } else {
            out << ",\"error\":\"process not readable\"";
        }
        out << "}";
        first = false;
    }
    out << "}}";
    return out.str();
}

std::string substitute_user(std::string_view text, std::uint64_t k) {
    std::string out;
    out.reserve(text.size() + 8);
    const std::string number_text = std::to_string(k);
    std::size_t from = 0;
    for (auto at = text.find("{K}"); at != std::string_view::npos; at = text.find("{K}", from)) {
        out.append(text.substr(from, at - from)).append(number_text);
        from = at + 3;
    }
    return out.append(text.substr(from));
}

}  // namespace scimldap::bench
