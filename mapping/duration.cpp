#include "mapping/duration.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace scimldap::mapping {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    if (digits == 0) {
        return std::nullopt;
    }
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
    if (ec != std::errc() || end != text.data() + digits) {
        return std::nullopt;
    }
    const std::string_view unit = text.substr(digits);
    std::int64_t factor = 0;
    if (unit == "ms") {
        factor = 1;
    } else if (unit == "s") {
        factor = 1'000;
    } else if (unit == "m") {
        factor = 60'000;
    } else if (unit == "h") {
        factor = 3'600'000;
    } else if (unit == "d") {
        // Token and key lifetimes are counted in days ("90d"); every timeout stays far below.
        factor = 86'400'000;
    } else {
        return std::nullopt;
    }
    if (number > std::numeric_limits<std::int64_t>::max() / factor) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(number * factor);
}

std::string format_duration(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms != 0 && ms % 3'600'000 == 0) {
        return std::to_string(ms / 3'600'000) + "h";
    }
    if (ms != 0 && ms % 60'000 == 0) {
        return std::to_string(ms / 60'000) + "m";
    }
    if (ms != 0 && ms % 1'000 == 0) {
        return std::to_string(ms / 1'000) + "s";
    }
    return std::to_string(ms) + "ms";
}

}  // namespace scimldap::mapping
