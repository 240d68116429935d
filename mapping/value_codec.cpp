#include "mapping/value_codec.hpp"

#include "base/ascii_case.hpp"
#include "mapping/base64.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace scimldap::mapping {
namespace {

using ascii::iequals;

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

int number(std::string_view s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

/// Broken-down UTC time plus an optional fraction (digits after the decimal point).
struct utc_time {
    std::tm tm{};
    std::string fraction;
};

std::optional<std::string> format_utc(std::time_t t, const std::string& fraction, bool xsd) {
    std::tm out{};
    if (!gmtime_r(&t, &out)) {
        return std::nullopt;
    }
    char buf[40];
    if (xsd) {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", out.tm_year + 1900,
                      out.tm_mon + 1, out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec);
    } else {
        std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", out.tm_year + 1900,
                      out.tm_mon + 1, out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec);
    }
    std::string s = buf;
    if (!fraction.empty()) {
        s += "." + fraction;
    }
    return s + "Z";
}

/// Parses "+HH:MM", "+HHMM", "-HH", "Z" into seconds east of UTC.
std::optional<long> parse_offset(std::string_view z) {
    if (z == "Z" || z == "z") {
        return 0L;
    }
    if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) {
        return std::nullopt;
    }
    std::string d;
    for (char c : z.substr(1)) {
        if (c != ':') {
            d += c;
        }
    }
    if (!digits(d) || (d.size() != 2 && d.size() != 4)) {
        return std::nullopt;
    }
    const long secs =
        number(d.substr(0, 2)) * 3600L + (d.size() == 4 ? number(d.substr(2)) * 60L : 0L);
    return z[0] == '-' ? -secs : secs;
}

/// A real calendar date and time of day (a leap second, :60, is allowed).
bool valid_civil(int y, int mo, int d, int h, int mi, int s) {
    static constexpr int days_in[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days_in[mo - 1] && (mo != 2 || d != 29 || leap) &&
           h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

std::optional<std::time_t> to_epoch(int y, int mo, int d, int h, int mi, int s, long offset) {
    if (!valid_civil(y, mo, d, h, mi, s)) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return timegm(&tm) - offset;
}

/// "YYYYMMDDHHMMSSZ", the form slapd gives createTimestamp and modifyTimestamp in, rewritten
/// without the calendar round trip (gmtime/timegm/snprintf were 5,000 instructions a value, two
/// values per user read). nullopt for anything else, which takes the general path.
std::optional<std::string> plain_utc_to_xsd(std::string_view v) {
    if (v.size() != 15 || v[14] != 'Z' || !digits(v.substr(0, 14))) {
        return std::nullopt;
    }
    const int second = number(v.substr(12, 2));
    if (second > 59 ||  // a leap second is normalised by the general path
        !valid_civil(number(v.substr(0, 4)), number(v.substr(4, 2)), number(v.substr(6, 2)),
                     number(v.substr(8, 2)), number(v.substr(10, 2)), second)) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(20);
    out.append(v.substr(0, 4)).append(1, '-').append(v.substr(4, 2)).append(1, '-');
    out.append(v.substr(6, 2)).append(1, 'T').append(v.substr(8, 2)).append(1, ':');
    out.append(v.substr(10, 2)).append(1, ':').append(v.substr(12, 2)).append(1, 'Z');
    return out;
}

}  // namespace

std::optional<std::string> generalized_time_to_xsd(std::string_view v) {
    if (auto fast = plain_utc_to_xsd(v)) {
        return fast;
    }
    // YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|±HH[MM])
    if (v.size() < 11 || !digits(v.substr(0, 10))) {
        return std::nullopt;
    }
    std::size_t i = 10;
    int mi = 0, s = 0;
    if (v.size() >= i + 2 && digits(v.substr(i, 2))) {
        mi = number(v.substr(i, 2));
        i += 2;
        if (v.size() >= i + 2 && digits(v.substr(i, 2))) {
            s = number(v.substr(i, 2));
            i += 2;
        }
    }
    std::string fraction;
    if (i < v.size() && (v[i] == '.' || v[i] == ',')) {
        ++i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
            fraction += v[i++];
        }
    }
    const auto offset = parse_offset(v.substr(i));
    if (!offset) {
        return std::nullopt;
    }
    const auto t = to_epoch(number(v.substr(0, 4)), number(v.substr(4, 2)), number(v.substr(6, 2)),
                            number(v.substr(8, 2)), mi, s, *offset);
    if (!t) {
        return std::nullopt;
    }
    return format_utc(*t, fraction, true);
}

std::optional<std::string> xsd_to_generalized_time(std::string_view v) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    if (v.size() < 20 || v[4] != '-' || v[7] != '-' || (v[10] != 'T' && v[10] != 't') ||
        v[13] != ':' || v[16] != ':') {
        return std::nullopt;
    }
    for (std::size_t p : {0u, 5u, 8u, 11u, 14u, 17u}) {
        if (!digits(v.substr(p, p == 0 ? 4 : 2))) {
            return std::nullopt;
        }
    }
    std::size_t i = 19;
    std::string fraction;
    if (i < v.size() && v[i] == '.') {
        ++i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
            fraction += v[i++];
        }
        if (fraction.empty()) {
            return std::nullopt;
        }
    }
    const auto offset = parse_offset(v.substr(i));
    if (!offset) {
        return std::nullopt;
    }
    const auto t = to_epoch(number(v.substr(0, 4)), number(v.substr(5, 2)), number(v.substr(8, 2)),
                            number(v.substr(11, 2)), number(v.substr(14, 2)),
                            number(v.substr(17, 2)), *offset);
    if (!t) {
        return std::nullopt;
    }
    return format_utc(*t, fraction, false);
}

std::optional<std::string> to_ldap_value(value_type type, const boost::json::value& v,
                                         std::string* error) {
    auto fail = [&](std::string message) -> std::optional<std::string> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };
    switch (type) {
        case value_type::string:
        case value_type::reference:
            if (v.is_string()) {
                return std::string(v.get_string());
            }
            return fail("must be a string");
        case value_type::boolean:
            if (v.is_bool()) {
                return v.get_bool() ? "TRUE" : "FALSE";
            }
            // Entra ID sends "True" / "False" (IDP-QUIRKS R3).
            if (v.is_string() && iequals(v.get_string(), "true")) {
                return "TRUE";
            }
            if (v.is_string() && iequals(v.get_string(), "false")) {
                return "FALSE";
            }
            return fail("must be a boolean");
        case value_type::integer:
            if (v.is_int64()) {
                return std::to_string(v.get_int64());
            }
            if (v.is_uint64()) {
                return std::to_string(v.get_uint64());
            }
            if (v.is_string()) {
                std::string_view s = v.get_string();
                const std::string_view body = !s.empty() && s[0] == '-' ? s.substr(1) : s;
                if (digits(body)) {
                    return std::string(s);
                }
            }
            return fail("must be an integer");
        case value_type::decimal:
            if (v.is_number()) {
                return boost::json::serialize(v);
            }
            return fail("must be a number");
        case value_type::date_time:
            if (v.is_string()) {
                if (auto g = xsd_to_generalized_time(v.get_string())) {
                    return g;
                }
            }
            return fail("must be an xsd:dateTime such as \"2024-01-31T23:59:59Z\"");
        case value_type::binary:
            if (v.is_string()) {
                if (auto raw = base64_decode(v.get_string())) {
                    return raw;
                }
            }
            return fail("must be base64-encoded binary");
    }
    return fail("has an unsupported type");
}

std::optional<boost::json::value> from_ldap_value(value_type type, std::string_view v,
                                                  boost::json::storage_ptr storage) {
    switch (type) {
        case value_type::string:
        case value_type::reference:
            return boost::json::value(boost::json::string(v, std::move(storage)));
        case value_type::boolean:
            if (iequals(v, "TRUE")) {
                return boost::json::value(true);
            }
            if (iequals(v, "FALSE")) {
                return boost::json::value(false);
            }
            return std::nullopt;
        case value_type::integer: {
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || p != v.data() + v.size()) {
                return std::nullopt;
            }
            return boost::json::value(n);
        }
        case value_type::decimal: {
            boost::system::error_code ec;
            auto parsed = boost::json::parse(v, ec);
            if (ec || !parsed.is_number()) {
                return std::nullopt;
            }
            return parsed;
        }
        case value_type::date_time:
            if (auto x = generalized_time_to_xsd(v)) {
                return boost::json::value(boost::json::string(*x, std::move(storage)));
            }
            return std::nullopt;
        case value_type::binary:
            return boost::json::value(boost::json::string(base64_encode(v), std::move(storage)));
    }
    return std::nullopt;
}

}  // namespace scimldap::mapping
