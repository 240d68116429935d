#include "bridge/scim/cursor_pages.hpp"

#include "base/filter_builder.hpp"
#include "mapping/resource_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace scimldap::scim {
namespace asio = boost::asio;

namespace {

// slapd keeps entryCSN in an ordered index (csnOrderingMatch): a range of it costs what it
// returns. entryUUID's ordering rule is evaluated entry by entry (a range over 100,000 users
// took 400 ms), and uid, mail and cn have no ordering rule at all.
constexpr std::string_view csn_attribute = "entryCSN";
// slapd's default size limit for a non-root bind: a window never asks for more.
constexpr int server_size_limit = 500;
// CSNs later than now by more than this are not expected (clock skew between providers):
// the last window is open-ended from here on.
constexpr std::int64_t skew_us = 24LL * 3600 * 1'000'000;
// Far more than a page needs (about two searches, more where the density changes); past it
// the directory is answering something this code does not expect.
constexpr int max_searches = 400;

/// One matching entry's place in the order.
struct keyed {
    std::string csn;
    std::string id;
    auto operator<=>(const keyed&) const = default;
};

int digits(std::string_view text, std::size_t at, std::size_t n) {
    int v = 0;
    const auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + n, v);
    return ec == std::errc() && p == text.data() + at + n ? v : -1;
}

std::string csn_text(std::int64_t microseconds, std::string_view suffix) {
    using namespace std::chrono;
    const sys_time<std::chrono::microseconds> t{std::chrono::microseconds(microseconds)};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<std::chrono::microseconds> time{t - day};
    char out[32];
    std::snprintf(out, sizeof out, "%04d%02u%02u%02d%02d%02lld.%06lldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(time.hours().count()),
                  int(time.minutes().count()), static_cast<long long>(time.seconds().count()),
                  static_cast<long long>(time.subseconds().count()));
    return std::string(out) + std::string(suffix);
}

/// When the resource type's base entry was created (0 when the server does not say).
asio::awaitable<result<std::int64_t>> base_created(directory& dir,
                                                   const mapping::resource_profile& resource) {
    ldap::search_request request;
    request.base = dir.base_of(resource);
    request.scope = ldap::scope::base;
    request.attributes = {"createTimestamp"};
    auto found = co_await dir.search(std::move(request), resource.name);
    if (!found) {
        co_return found.error();
    }
    const auto text =
        found->entries.empty() ? std::nullopt : found->entries.front().first("createTimestamp");
    co_return text ? csn_microseconds(*text).value_or(0) : 0;
}

}  // namespace

std::optional<std::int64_t> csn_microseconds(std::string_view csn) {
    // GeneralizedTime with six fraction digits, then "#count#sid#mod"; or a whole-second
    // GeneralizedTime such as createTimestamp ("YYYYmmddHHMMSSZ").
    const bool whole_second = csn.size() == 15 && csn[14] == 'Z';
    if (!whole_second && (csn.size() < 22 || csn[14] != '.' || csn[21] != 'Z')) {
        return std::nullopt;
    }
    const int y = digits(csn, 0, 4), mo = digits(csn, 4, 2), d = digits(csn, 6, 2);
    const int h = digits(csn, 8, 2), mi = digits(csn, 10, 2), s = digits(csn, 12, 2);
    const int us = whole_second ? 0 : digits(csn, 15, 6);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || us < 0) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                          std::chrono::day(d)};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    const std::int64_t seconds =
        std::chrono::sys_days(ymd).time_since_epoch().count() * 86'400LL + h * 3600 + mi * 60 + s;
    return seconds * 1'000'000 + us;
}

std::string lowest_csn(std::int64_t microseconds) {
    return csn_text(microseconds, "#000000#000#000000");
}

std::string highest_csn(std::int64_t microseconds) {
    return csn_text(microseconds, "#ffffff#fff#ffffff");
}

asio::awaitable<result<cursor_page>> read_cursor_page(directory& dir, const page_reading& how,
                                                      int count,
                                                      const std::optional<cursor_position>& after,
                                                      std::chrono::system_clock::time_point now) {
    const auto& resource = how.resource;
    const std::size_t wanted = static_cast<std::size_t>(count) + 1;  // one more: is there a next?
    // Room for the page and as much again, so a window sized from the last page usually fits.
    const int size_limit = std::max(static_cast<int>(wanted),
                                    std::min(2 * static_cast<int>(wanted), server_size_limit));
    const std::int64_t horizon =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() +
        skew_us;
    const std::optional<keyed> resume =
        after ? std::optional<keyed>(keyed{after->csn, after->id}) : std::nullopt;
    // Windows are [lo, lo + width): complete ones are read whole, so every entry below lo has
    // been seen and the smallest keys collected are the page.
    std::int64_t lo = 0;
    if (!after) {
        // Entries below the base were created (or moved there) after it, so their CSNs are not
        // older than its createTimestamp: the first page's windows start there, not in 1970,
        // which spares the searches that would each cover every entry.
        auto created = co_await base_created(dir, resource);
        if (!created) {
            co_return created.error();
        }
        lo = *created;
    } else {
        const auto t = csn_microseconds(after->csn);
        if (!t) {
            co_return error{errc::invalid_cursor, "cursor holds no valid position"};
        }
        lo = *t;
    }
    std::int64_t width = after && after->window_us > 0 ? after->window_us : horizon - lo;
    std::vector<keyed> collected;
    std::int64_t last_width = width;
    std::size_t last_found = 0;  // entries the last complete window held ...
    std::size_t last_kept = 0;   // ... and how many of them passed the re-check
    bool crowded = false;        // a window of this page hit the size limit
    std::vector<std::string> attributes = how.sel.plan.key_attributes;
    attributes.emplace_back(csn_attribute);
    for (int searches = 0;; ++searches) {
        if (searches == max_searches) {
            co_return error{errc::internal,
                            "cursor page: no window of entryCSN fits the size "
                            "limit; is entryCSN indexed (eq)?"};
        }
        const bool open = lo + width >= horizon;
        std::vector<ldap::filter> parts{how.sel.plan.filter,
                                        ldap::filters::at_least(csn_attribute, lowest_csn(lo))};
        if (!open) {
            parts.push_back(ldap::filters::at_most(csn_attribute, highest_csn(lo + width - 1)));
        }
        ldap::search_request request;
        request.base = dir.base_of(resource);
        request.scope = how.sel.plan.scope;
        request.filter = ldap::filters::all_of(parts);
        request.attributes = attributes;
        request.size_limit = size_limit;
        auto found = co_await dir.search(std::move(request), resource.name);
        if (!found) {
            if (!found.error().is(ldap::rc::size_limit_exceeded)) {
                co_return found.error();
            }
            // More than a page and a half in the window: look at its first half.
            if (width <= 1) {
                co_return error{errc::internal,
                                "cursor page: more entries share one "
                                "microsecond of entryCSN than a search returns"};
            }
            width = (open ? horizon - lo : width) / 2;
            crowded = true;
            continue;
        }
        const std::size_t before = collected.size();
        for (const auto& e : found->entries) {
            auto csn = e.first(csn_attribute);
            auto id = mapping::id_of(resource, e);
            if (!csn || !id) {
                continue;
            }
            keyed k{std::move(*csn), std::move(*id)};
            if ((!resume || *resume < k) && passes(resource, how.sel, e)) {
                collected.push_back(std::move(k));
            }
        }
        last_width = width;
        last_found = found->entries.size();
        last_kept = collected.size() - before;
        if (collected.size() >= wanted || open) {
            break;
        }
        // The window held too few: the next one starts where it ended, twice as wide; after an
        // empty one, open-ended unless this page already hit the size limit (past the last
        // entry, at the end of a walk, that is one search instead of doubling up to the horizon;
        // below dense data, as on a first page, it would start the halving over).
        lo += width;
        const bool to_the_end = found->entries.empty() && !crowded;
        width = to_the_end || width > (horizon - lo) / 2 ? horizon - lo : width * 2;
    }
    std::sort(collected.begin(), collected.end());
    cursor_page out;
    const std::size_t on_page = std::min<std::size_t>(count, collected.size());
    if (collected.size() > on_page) {
        // The next page's first window: wide enough for a page and a half of matches at the
        // density seen (a re-check that drops most entries widens it), but holding no more
        // entries than three quarters of the size limit.
        const auto per = [&](std::size_t n) {
            return static_cast<double>(last_width) /
                   static_cast<double>(std::max<std::size_t>(1, n));
        };
        const double next = std::clamp(std::min(per(last_kept) * static_cast<double>(wanted) * 1.5,
                                                per(last_found) * size_limit * 0.75),
                                       1.0, 1e17);
        out.next = cursor_position{collected[on_page - 1].csn, collected[on_page - 1].id,
                                   static_cast<std::int64_t>(next)};
    }
    std::vector<std::string> ids;
    ids.reserve(on_page);
    for (std::size_t i = 0; i < on_page; ++i) {
        ids.push_back(collected[i].id);
    }
    if (ids.empty()) {
        co_return out;
    }
    // The page's entries take a turn like a walked page's (read_walked_page in list_query.cpp).
    auto turn = co_await how.limits.page_entries->acquire(dir.tenant().name, ids.size());
    if (!turn) {
        co_return turn.error();
    }
    auto entries = co_await read_entries(dir, how, ids);
    if (!entries) {
        co_return entries.error();
    }
    out.entries = std::move(*entries);
    co_return out;
}

}  // namespace scimldap::scim
