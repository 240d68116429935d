#include "bridge/cli/watchdog.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace scimldap::cli {
namespace {

template <class T>
std::optional<T> whole_number(const char* text) {
    if (text == nullptr) {
        return std::nullopt;
    }
    const std::string_view s(text);
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<std::chrono::microseconds> watchdog_interval(const char* usec, const char* pid,
                                                           pid_t self) {
    const auto interval = whole_number<std::uint64_t>(usec);
    if (!interval || *interval == 0) {
        return std::nullopt;
    }
    if (pid != nullptr) {
        // Set for another process (a child inherited the environment): not ours to ping.
        const auto owner = whole_number<pid_t>(pid);
        if (!owner || *owner != self) {
            return std::nullopt;
        }
    }
    return std::chrono::microseconds(static_cast<std::int64_t>(*interval));
}

}  // namespace scimldap::cli
