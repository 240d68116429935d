// One page of cursor paging (RFC 9865) read as a key range: the resources after a position in
// (entryCSN, id) order, found with a few bounded searches, never a walk of every key
// (docs/architecture.md, "Cursor paging").
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/list_cursor.hpp"
#include "bridge/scim/page_entries.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::scim {

/// A CSN's time (YYYYmmddHHMMSS.ffffffZ#...) in microseconds since 1970; nullopt when the text
/// is not a CSN.
std::optional<std::int64_t> csn_microseconds(std::string_view csn);

/// The lowest and highest CSN of one microsecond: the bounds of a search window.
std::string lowest_csn(std::int64_t microseconds);
std::string highest_csn(std::int64_t microseconds);

/// A cursor page: its entries in order, and where the next one starts (nullopt: the last page).
struct cursor_page {
    std::vector<found_entry> entries;
    std::optional<cursor_position> next;
};

/// The `count` (at least 1) resources after `after` (the first ones without it) that the
/// selection matches, re-check included, with the page's attributes.
boost::asio::awaitable<result<cursor_page>> read_cursor_page(
    directory& dir, const page_reading& how, int count, const std::optional<cursor_position>& after,
    std::chrono::system_clock::time_point now);

}  // namespace scimldap::scim
