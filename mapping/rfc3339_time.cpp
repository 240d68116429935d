#include "mapping/rfc3339_time.hpp"

#include "mapping/value_codec.hpp"

#include <charconv>
#include <cstdio>

namespace scimldap::mapping {

namespace {

int number(std::string_view digits) {
    int v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return v;
}

}  // namespace

std::optional<utc_seconds> parse_rfc3339(std::string_view text) {
    // xsd:dateTime is RFC 3339's date-time; the value codec already checks it (calendar,
    // offset) and gives it back in UTC as "YYYYMMDDHHMMSS[.f]Z".
    const auto utc = xsd_to_generalized_time(text);
    if (!utc || utc->size() < 15) {
        return std::nullopt;
    }
    const std::string_view g = *utc;
    const std::chrono::year_month_day date{std::chrono::year{number(g.substr(0, 4))},
                                           std::chrono::month{unsigned(number(g.substr(4, 2)))},
                                           std::chrono::day{unsigned(number(g.substr(6, 2)))}};
    return std::chrono::sys_days{date} + std::chrono::hours{number(g.substr(8, 2))} +
           std::chrono::minutes{number(g.substr(10, 2))} +
           std::chrono::seconds{number(g.substr(12, 2))};
}

std::string format_rfc3339(utc_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                  int(time.minutes().count()), int(time.seconds().count()));
    return buf;
}

}  // namespace scimldap::mapping
