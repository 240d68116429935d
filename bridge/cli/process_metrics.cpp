#include "bridge/cli/process_metrics.hpp"

#include "base/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef SCIMLDAP_VERSION
#define SCIMLDAP_VERSION "unknown"
#endif

namespace scimldap::cli {
namespace {

using metrics::kind;
using metrics::sample;

std::vector<sample> one(double v) {
    return {{{}, v}};
}

double cpu_seconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// /proc/self/statm: size and resident, in pages.
std::pair<double, double> memory_bytes() {
    std::ifstream in("/proc/self/statm");
    double size = 0;
    double resident = 0;
    in >> size >> resident;
    const auto page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    return {size * page, resident * page};
}

double open_fds() {
    std::error_code ec;
    double n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
        ++n;
    }
    return n;
}

double max_fds() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<double>(limit.rlim_cur);
}

// The boot time (/proc/stat btime) plus the process's start in clock ticks after boot
// (/proc/self/stat field 22), as Prometheus' own clients compute it.
// 0 when /proc cannot be read: a metric must never keep the service from starting.
double start_time_seconds() {
    std::ifstream stat_file("/proc/self/stat");
    const std::string text((std::istreambuf_iterator<char>(stat_file)), {});
    // Fields after the command name, which may hold spaces, start after its closing ')'.
    const auto paren = text.rfind(')');
    if (paren == std::string::npos || paren + 2 > text.size()) {
        return 0;
    }
    std::istringstream fields(text.substr(paren + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 22) {
            ticks = std::strtod(field.c_str(), nullptr);
        }
    }
    std::ifstream boot_file("/proc/stat");
    std::string line;
    double boot = 0;
    while (std::getline(boot_file, line)) {
        if (line.rfind("btime ", 0) == 0) {
            boot = std::strtod(line.c_str() + 6, nullptr);
        }
    }
    return boot + ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

void register_process_metrics() {
    static const auto handles = [] {
        auto& r = metrics::registry::global();
        const double started = start_time_seconds();
        std::vector<metrics::registry::collector_handle> h;
        h.push_back(r.add(
            {"process_cpu_seconds_total", "User and system CPU time spent", kind::counter, {}, [] {
                 return one(cpu_seconds());
             }}));
        h.push_back(
            r.add({"process_resident_memory_bytes", "Resident memory size", kind::gauge, {}, [] {
                       return one(memory_bytes().second);
                   }}));
        h.push_back(
            r.add({"process_virtual_memory_bytes", "Virtual memory size", kind::gauge, {}, [] {
                       return one(memory_bytes().first);
                   }}));
        h.push_back(r.add({"process_open_fds", "Open file descriptors", kind::gauge, {}, [] {
                               return one(open_fds());
                           }}));
        h.push_back(r.add(
            {"process_max_fds", "The file descriptor limit (RLIMIT_NOFILE)", kind::gauge, {}, [] {
                 return one(max_fds());
             }}));
        h.push_back(r.add({"process_start_time_seconds",
                           "Start time of the process since the Unix epoch",
                           kind::gauge,
                           {},
                           [started] { return one(started); }}));
        h.push_back(r.add({"scimldap_build_info",
                           "The running build; the value is always 1",
                           kind::gauge,
                           {"version"},
                           [] {
                               return std::vector<sample>{{{SCIMLDAP_VERSION}, 1}};
                           }}));
        return h;
    }();
    (void)handles;
}

}  // namespace scimldap::cli
