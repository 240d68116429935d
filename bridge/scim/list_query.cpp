#include "bridge/scim/list_query.hpp"

#include "base/escape.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/cursor_pages.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/id_lookup.hpp"
#include "bridge/scim/json_response.hpp"
#include "bridge/scim/list_cursor.hpp"
#include "bridge/scim/member_reads.hpp"
#include "bridge/scim/ordered_ids_cache.hpp"
#include "bridge/scim/page_entries.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/search_plan.hpp"
#include "bridge/scim/shared_walks.hpp"
#include "bridge/scim/sort_keys.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "mapping/filter_match.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/filter_translate.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_json.hpp"
#include "mapping/resource_reader.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int key_page_size = 1000;
constexpr std::string_view list_response_schema =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";

constexpr std::string_view search_request_schema =
    "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// The request's values before validation, whichever way they arrived.
struct raw_query {
    std::optional<std::string> filter;
    std::optional<int> start_index;
    std::optional<int> count;
    std::optional<std::string> sort_by;
    std::optional<std::string> sort_order;
    std::string attributes;
    std::string excluded_attributes;
    std::optional<std::string> cursor;
};

/// A decimal integer; one past int's range saturates, since validate() clamps it anyway
/// (RFC 7644 §3.4.2.4: a count above the maximum is lowered to it, not refused).
std::optional<int> saturating_integer(std::string_view text) {
    int v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (p != text.data() + text.size()) {
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range) {
        return text.starts_with('-') ? INT_MIN : INT_MAX;
    }
    return ec == std::errc() ? std::optional<int>(v) : std::nullopt;
}

result<std::optional<int>> integer_param(const request_context& ctx, std::string_view name) {
    const auto raw = ctx.query_param(name);
    if (!raw || raw->empty()) {
        return std::optional<int>{};
    }
    const auto v = saturating_integer(*raw);
    if (!v) {
        return error{errc::invalid_value, "query parameter '" + std::string(name) +
                                              "' must be an integer, got \"" + *raw + "\""};
    }
    return v;
}

result<list_query> validate(const raw_query& raw, const mapping::resource_profile& resource,
                            const paging_limits& limits) {
    list_query q;
    if (raw.filter && !raw.filter->empty()) {
        auto parsed = mapping::parse_filter(*raw.filter);
        if (!parsed) {
            const auto e = parsed.error();
            return error{errc::invalid_filter, "invalid filter: " + e.message};
        }
        q.filter = std::move(*parsed);
    }
    q.start_index = std::max(1, raw.start_index.value_or(1));  // §3.4.2.4: below 1 means 1
    q.count = std::clamp(raw.count.value_or(limits.default_count), 0, limits.max_count);
    if (raw.sort_by && !raw.sort_by->empty()) {
        auto path = mapping::parse_path(*raw.sort_by);
        const auto* m = path && !path->value_filter ? resource.find(path->attribute) : nullptr;
        if (m == nullptr || m->multi_valued || m->ldap.empty() ||
            m->kind == mapping::behaviour::password) {
            return error{errc::invalid_value, "sortBy '" + *raw.sort_by +
                                                  "' is not a single-valued attribute of " +
                                                  resource.name + " on this server"};
        }
        q.sort_by = m;
    }
    if (raw.sort_order && !raw.sort_order->empty()) {
        if (ascii::iequals(*raw.sort_order, "descending")) {
            q.descending = true;
        } else if (!ascii::iequals(*raw.sort_order, "ascending")) {
            return error{errc::invalid_value,
                         "sortOrder must be \"ascending\" or "
                         "\"descending\", got \"" +
                             *raw.sort_order + "\""};
        }
    }
    q.attributes = raw.attributes;
    q.excluded_attributes = raw.excluded_attributes;
    if (raw.cursor) {
        // RFC 9865 §2.4: startIndex and cursor each ask for one way of paging.
        if (raw.start_index) {
            return error{errc::invalid_value,
                         "startIndex and cursor are two ways of paging: send one of them"};
        }
        // Cursor pages follow (entryCSN, id): the order a key range can be read in without
        // walking every key (docs/filters.md, "Cursor paging").
        if (q.sort_by || q.descending) {
            return error{errc::invalid_value,
                         "sortBy and sortOrder cannot be combined with cursor: cursor pages come "
                         "in the server's order; use startIndex to sort"};
        }
        q.cursor = raw.cursor;
    }
    return q;
}

/// A SearchRequest member that must be a string.
result<std::optional<std::string>> string_member(const json::object& body, std::string_view key) {
    const auto* v = body.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return std::optional<std::string>{};
    }
    if (!v->is_string()) {
        return error{errc::invalid_syntax,
                     "SearchRequest '" + std::string(key) + "' must be a string"};
    }
    return std::optional<std::string>(std::string(v->get_string()));
}

/// startIndex/count: JSON integers (a numeric string is tolerated, as in a query string).
result<std::optional<int>> integer_member(const json::object& body, std::string_view key) {
    const auto* v = body.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return std::optional<int>{};
    }
    if (v->is_int64() || v->is_uint64()) {
        const auto n =
            v->is_int64()
                ? v->get_int64()
                : static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT32_MAX));
        return std::optional<int>(
            static_cast<int>(std::clamp<std::int64_t>(n, INT32_MIN, INT32_MAX)));
    }
    if (v->is_double()) {
        // Boost.JSON reads an integer beyond 64 bits as a double; a whole one saturates too.
        const double d = v->get_double();
        if (std::isfinite(d) && std::trunc(d) == d) {
            return std::optional<int>(static_cast<int>(std::clamp<double>(d, INT_MIN, INT_MAX)));
        }
    }
    if (v->is_string()) {
        if (const auto n = saturating_integer(v->get_string())) {
            return n;
        }
    }
    return error{errc::invalid_value, "SearchRequest '" + std::string(key) +
                                          "' must be an integer, got " + json::serialize(*v)};
}

/// attributes/excludedAttributes: an array of attribute paths (a comma-separated string too).
result<std::string> list_member(const json::object& body, std::string_view key) {
    const auto* v = body.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return std::string();
    }
    if (v->is_string()) {
        return std::string(v->get_string());
    }
    if (!v->is_array()) {
        return error{errc::invalid_syntax, "SearchRequest '" + std::string(key) +
                                               "' must be an array of attribute names"};
    }
    std::string out;
    for (const auto& item : v->get_array()) {
        if (!item.is_string()) {
            return error{errc::invalid_syntax, "SearchRequest '" + std::string(key) +
                                                   "' must be an array of attribute names"};
        }
        if (!out.empty()) {
            out += ',';
        }
        out += std::string_view(item.get_string());
    }
    return out;
}

/// Every matching entry's id and sort key, walked a page at a time on a pinned connection;
/// only the keys are kept.
asio::awaitable<result<sort_keys>> walk_keys(directory& dir,
                                             const mapping::resource_profile& resource,
                                             const selection& sel) {
    const std::string& sort_attribute = sel.plan.sort_attribute;
    ldap::search_request request;
    request.base = dir.base_of(resource);
    request.scope = sel.plan.scope;
    request.filter = sel.plan.filter;
    request.attributes = sel.plan.key_attributes;
    sort_keys keys;
    const std::function<void(std::vector<ldap::entry>&)> keep =
        [&](std::vector<ldap::entry>& page) {
            for (const auto& e : page) {
                const auto* id = e.find(resource.id_attribute);
                if (id != nullptr && !id->empty() && passes(resource, sel, e)) {
                    const auto* sort = e.find(sort_attribute);
                    keys.add(id->front(), sort != nullptr && !sort->empty() ? sort->front() : "");
                }
            }
        };
    auto walked = co_await dir.search_pages(std::move(request), key_page_size, resource.name, keep);
    if (!walked) {
        co_return walked.error();
    }
    co_return keys;
}

/// The entries of one page, in order, with their references resolved.
struct page {
    std::size_t total = 0;
    std::vector<found_entry> entries;
};

/// The page's entries by id, in the order of `ordered` (the whole result's ids).
asio::awaitable<result<page>> read_ids_page(directory& dir, const page_reading& how,
                                            const list_query& q, const id_list& ordered) {
    page out;
    out.total = ordered.size();
    if (q.count == 0 || q.start_index > static_cast<int>(ordered.size())) {
        co_return out;  // totalResults only: no entry is read
    }
    const std::size_t first = q.start_index - 1;
    const std::size_t last = std::min<std::size_t>(first + q.count, ordered.size());
    std::vector<std::string> ids;
    ids.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
        ids.emplace_back(ordered[i]);
    }
    auto entries = co_await read_entries(dir, how, ids);
    if (!entries) {
        co_return entries.error();
    }
    out.entries = std::move(*entries);
    co_return out;
}

/// read_ids_page under a turn for its entries (limits.page_entries): a hundred concurrent
/// pages of 1,000 users would otherwise each hold theirs at once.
asio::awaitable<result<page>> read_walked_page(directory& dir, const page_reading& how,
                                               const list_query& q, const read_limits& limits,
                                               const id_list& ordered) {
    const std::size_t first = static_cast<std::size_t>(q.start_index - 1);
    const std::size_t entries =
        first < ordered.size() ? std::min<std::size_t>(q.count, ordered.size() - first) : 0;
    if (entries == 0) {
        co_return co_await read_ids_page(dir, how, q, ordered);
    }
    auto turn = co_await limits.page_entries->acquire(dir.tenant().name, entries);
    if (!turn) {
        co_return turn.error();
    }
    co_return co_await read_ids_page(dir, how, q, ordered);
}

/// What identifies "the same query" for the ordered id cache and shared walks: tenant, type,
/// filter (SCIM and LDAP: several SCIM filters may widen to one LDAP filter) and order.
std::string cache_key(const directory& dir, const mapping::resource_profile& resource,
                      const list_query& q, const selection& sel) {
    std::string key =
        dir.tenant().name + '\n' + resource.name + '\n' + sel.plan.filter.str() + '\n';
    key += q.filter ? mapping::to_string(*q.filter) : std::string();
    key += '\n' + (q.sort_by ? q.sort_by->ldap : std::string()) + (q.descending ? "\nd" : "\na");
    return key;
}

/// A small result from one search carrying the page's attributes (every IdP lookup); nullopt
/// when the server's size limit says the result is large.
asio::awaitable<result<std::optional<page>>> read_small(directory& dir, const page_reading& how,
                                                        const list_query& q) {
    const auto& resource = how.resource;
    const auto& sel = how.sel;
    ldap::search_request request;
    request.base = dir.base_of(resource);
    request.scope = sel.plan.scope;
    request.filter = sel.plan.filter;
    request.attributes = sel.plan.first_attributes;
    request.size_limit = first_search_size_limit;
    auto small = co_await dir.search(std::move(request), resource.name);
    if (!small) {
        if (small.error().is(ldap::rc::size_limit_exceeded)) {
            co_return std::optional<page>{};
        }
        co_return small.error();
    }
    sort_keys keys;
    std::vector<ldap::entry> kept;
    for (auto& e : small->entries) {
        if (passes(resource, sel, e)) {
            keys.add(mapping::id_of(resource, e).value_or(""),
                     e.first(sel.plan.sort_attribute).value_or(""));
            kept.push_back(std::move(e));
        }
    }
    keys.sort(q.sort_by && q.sort_by->case_exact, q.descending);
    page out;
    out.total = keys.size();
    const std::size_t first = std::min<std::size_t>(q.start_index - 1, keys.size());
    const std::size_t last = std::min<std::size_t>(first + q.count, keys.size());
    if (!sel.plan.members_apart.empty()) {
        std::vector<std::string> ids;
        for (std::size_t i = first; i < last; ++i) {
            ids.emplace_back(keys.id(i));
        }
        auto entries = co_await read_entries(dir, how, ids);
        if (!entries) {
            co_return entries.error();
        }
        out.entries = std::move(*entries);
        co_return std::optional<page>(std::move(out));
    }
    for (std::size_t i = first; i < last; ++i) {
        found_entry f{std::move(kept[keys.added_as(i)]), {}};
        auto refs = co_await dir.resolve_dns(f.entry, how.references);
        if (!refs) {
            co_return refs.error();
        }
        f.references = std::move(*refs);
        out.entries.push_back(std::move(f));
    }
    co_return std::optional<page>(std::move(out));
}

/// The ordered ids of a large result: walked under the walk limiter, or shared with the
/// identical walk already running, and kept briefly for the next pages.
asio::awaitable<shared_walks::walk_result> ordered_ids(directory& dir, const page_reading& how,
                                                       const list_query& q,
                                                       const read_limits& limits,
                                                       const std::string& key) {
    const shared_walks::walker walk = [&]() -> asio::awaitable<shared_walks::walk_result> {
        auto turn = co_await limits.walks->acquire(dir.tenant().name);
        if (!turn) {
            co_return turn.error();
        }
        if (test_hooks::walk_started) {
            auto held = test_hooks::walk_started();
            co_await std::move(held);
        }
        auto keys = co_await walk_keys(dir, how.resource, how.sel);
        if (!keys) {
            co_return keys.error();
        }
        keys->sort(q.sort_by && q.sort_by->case_exact, q.descending);
        auto ordered = std::make_shared<const id_list>(keys->ids());
        ordered_ids_cache::shared().store(key, ordered);
        co_return std::shared_ptr<const id_list>(ordered);
    };
    co_return co_await shared_walks::shared().run(key, walk);
}

/// Small results (every IdP lookup) come from one search carrying the page's attributes; only
/// when the server's size limit is hit does the walk over ids and sort keys take over.
/// count=0 reads no resource attributes at all.
asio::awaitable<result<page>> read_page(directory& dir, const page_reading& how,
                                        const list_query& q, const read_limits& limits) {
    const std::string key = cache_key(dir, how.resource, q, how.sel);
    if (q.start_index > 1) {
        // A later page of a large query seen moments ago: its order is known, read the page.
        if (const auto cached = ordered_ids_cache::shared().find(key)) {
            co_return co_await read_walked_page(dir, how, q, limits, *cached);
        }
    }
    // While the same query is being walked, or was moments ago, the result is known to be
    // large: no first search of 200 whole entries that would end at the size limit.
    const bool known_large =
        shared_walks::shared().running(key) || ordered_ids_cache::shared().find(key) != nullptr;
    if (!known_large) {
        auto small = co_await read_small(dir, how, q);
        if (!small) {
            co_return small.error();
        }
        if (*small) {
            co_return std::move(**small);
        }
    }
    auto ordered = co_await ordered_ids(dir, how, q, limits, key);
    if (!ordered) {
        co_return ordered.error();
    }
    co_return co_await read_walked_page(dir, how, q, limits, **ordered);
}

asio::awaitable<result<mapping::reference_dns>> filter_references(
    directory& dir, const mapping::resource_profile& resource, const mapping::filter_node& filter) {
    mapping::reference_dns out;
    const auto ids = mapping::reference_filter_ids(resource, filter);
    if (ids.empty()) {
        co_return out;
    }
    const std::vector<std::string> types{"User", "Group"};
    auto found = co_await find_dns_by_id(dir, types, ids);
    if (!found) {
        co_return found.error();
    }
    out = std::move(*found);
    co_return out;
}

/// A query ready to read: what it returns and the searches it makes.
struct prepared_query {
    mapping::projection fields;
    selection sel;
};

/// Looks up the reference ids the filter names (members.value eq "id": LDAP holds DNs) and
/// plans the searches; the selection points into `query`.
asio::awaitable<result<prepared_query>> prepare(directory& dir, const list_query& query,
                                                const mapping::resource_profile& resource) {
    mapping::reference_dns references;
    if (query.filter) {
        auto looked_up = co_await filter_references(dir, resource, *query.filter);
        if (!looked_up) {
            co_return looked_up.error();
        }
        references = std::move(*looked_up);
    }
    auto fields = mapping::projection::parse(resource, query.attributes, query.excluded_attributes);
    auto plan = plan_search(resource, query, fields, &references);
    if (!plan) {
        co_return plan.error();
    }
    prepared_query out{std::move(fields), selection{std::move(*plan), nullptr, {}}};
    if (out.sel.plan.recheck) {
        out.sel.recheck = &*query.filter;
        for (const auto& [id, name] : references) {
            out.sel.referenced[ldap::normalize_dn(name)] = {id, "", ""};
        }
    }
    co_return out;
}

/// The page's resources as JSON text, comma-separated.
std::string rendered(const std::vector<found_entry>& entries,
                     const mapping::resource_profile& resource, const mapping::projection& fields,
                     const std::string& base_url) {
    std::string out;
    out.reserve(entries.size() * 1024);
    for (const auto& f : entries) {
        if (!out.empty()) {
            out += ',';
        }
        const auto resolver = f.resolver();
        const mapping::read_context rc{fields, base_url, resolver};
        mapping::append_resource_json(out, resource, f.entry, rc);
    }
    return out;
}

/// A cursor page (RFC 9865): the cursor verified against this tenant and filter, then the
/// page read as a key range after its position. count=0 asks only for totalResults, which
/// the index path counts.
asio::awaitable<http_response> cursor_resources(directory& dir, const list_query& query,
                                                const mapping::resource_profile& resource,
                                                const std::string& base_url,
                                                const endpoint_settings& settings) {
    const auto now = std::chrono::system_clock::now();
    const std::string binding =
        cursor_binding(dir.tenant().name, resource.name,
                       query.filter ? mapping::to_string(*query.filter) : std::string());
    std::optional<cursor_position> after;
    if (!query.cursor->empty()) {
        auto opened = open_cursor(*query.cursor, binding, settings.cursors.key,
                                  std::chrono::floor<std::chrono::seconds>(now));
        if (!opened) {
            co_return error_response(opened.error());
        }
        after = std::move(*opened);
    }
    if (query.count == 0) {
        auto counted = co_await query_resources(dir, query, resource, base_url, settings.reads);
        if (!counted) {
            co_return error_response(counted.error());
        }
        co_return list_response(counted->total, 1, 0, "");
    }
    auto prepared = co_await prepare(dir, query, resource);
    if (!prepared) {
        co_return error_response(prepared.error());
    }
    const page_reading how{resource, prepared->sel,
                           mapping::reference_mappings(resource, prepared->fields), settings.reads};
    auto page = co_await read_cursor_page(dir, how, query.count, after, now);
    if (!page) {
        co_return error_response(page.error());
    }
    std::optional<std::string> next;
    if (page->next) {
        next = seal_cursor(
            *page->next, binding, settings.cursors.key,
            std::chrono::floor<std::chrono::seconds>(now) +
                std::chrono::duration_cast<std::chrono::seconds>(settings.cursors.timeout));
    }
    co_return cursor_list_response(page->entries.size(), next,
                                   rendered(page->entries, resource, prepared->fields, base_url));
}

}  // namespace

result<list_query> query_from_params(const request_context& ctx,
                                     const mapping::resource_profile& resource,
                                     const paging_limits& limits) {
    raw_query raw;
    raw.filter = ctx.query_param("filter");
    auto start = integer_param(ctx, "startIndex");
    if (!start) {
        return start.error();
    }
    raw.start_index = *start;
    auto count = integer_param(ctx, "count");
    if (!count) {
        return count.error();
    }
    raw.count = *count;
    raw.sort_by = ctx.query_param("sortBy");
    raw.sort_order = ctx.query_param("sortOrder");
    raw.attributes = ctx.query_param("attributes").value_or("");
    raw.excluded_attributes = ctx.query_param("excludedAttributes").value_or("");
    raw.cursor = ctx.query_param("cursor");  // "?cursor&count=10" (RFC 9865 §2) is present
    return validate(raw, resource, limits);
}

result<list_query> query_from_search_request(const json::value& body,
                                             const mapping::resource_profile& resource,
                                             const paging_limits& limits) {
    if (!body.is_object()) {
        return error{errc::invalid_syntax, "a SearchRequest must be a JSON object"};
    }
    const auto& o = body.get_object();
    const auto* schemas = o.if_contains("schemas");
    const bool tagged =
        schemas && schemas->is_array() &&
        std::any_of(schemas->get_array().begin(), schemas->get_array().end(), [](const auto& s) {
            return s.is_string() && ascii::iequals(s.get_string(), search_request_schema);
        });
    if (!tagged) {
        return error{errc::invalid_syntax,
                     "'schemas' must contain \"" + std::string(search_request_schema) + "\""};
    }
    raw_query raw;
    for (const auto& [name, target] :
         {std::pair{"filter", &raw.filter}, std::pair{"sortBy", &raw.sort_by},
          std::pair{"sortOrder", &raw.sort_order}, std::pair{"cursor", &raw.cursor}}) {
        auto v = string_member(o, name);
        if (!v) {
            return v.error();
        }
        *target = std::move(*v);
    }
    for (const auto& [name, target] :
         {std::pair{"startIndex", &raw.start_index}, std::pair{"count", &raw.count}}) {
        auto v = integer_member(o, name);
        if (!v) {
            return v.error();
        }
        *target = *v;
    }
    for (const auto& [name, target] : {std::pair{"attributes", &raw.attributes},
                                       std::pair{"excludedAttributes", &raw.excluded_attributes}}) {
        auto v = list_member(o, name);
        if (!v) {
            return v.error();
        }
        *target = std::move(*v);
    }
    return validate(raw, resource, limits);
}

asio::awaitable<result<listed_page>> query_resources(directory& dir, const list_query& query,
                                                     const mapping::resource_profile& resource,
                                                     const std::string& base_url,
                                                     const read_limits& limits) {
    auto prepared = co_await prepare(dir, query, resource);
    if (!prepared) {
        co_return prepared.error();
    }
    const page_reading how{resource, prepared->sel,
                           mapping::reference_mappings(resource, prepared->fields), limits};
    auto found = co_await read_page(dir, how, query, limits);
    if (!found) {
        co_return found.error();
    }
    co_return listed_page{found->total, found->entries.size(),
                          rendered(found->entries, resource, prepared->fields, base_url)};
}

http_response list_response(std::size_t total, int start_index, std::size_t count,
                            std::string_view resources) {
    std::string body;
    body.reserve(resources.size() + 160);
    body += "{\"schemas\":[\"";
    body += list_response_schema;
    body += "\"],\"totalResults\":";
    body += std::to_string(total);
    body += ",\"startIndex\":";
    body += std::to_string(start_index);
    body += ",\"itemsPerPage\":";
    body += std::to_string(count);
    body += ",\"Resources\":[";
    body += resources;
    body += "]}";
    return json_response(200, std::move(body));
}

http_response cursor_list_response(std::size_t count, const std::optional<std::string>& next,
                                   std::string_view resources) {
    std::string body;
    body.reserve(resources.size() + 320);
    body += "{\"schemas\":[\"";
    body += list_response_schema;
    body += "\"],\"itemsPerPage\":";
    body += std::to_string(count);
    if (next) {
        body += ",\"nextCursor\":\"";  // base64url and ".": nothing to escape
        body += *next;
        body += '"';
    }
    body += ",\"Resources\":[";
    body += resources;
    body += "]}";
    return json_response(200, std::move(body));
}

asio::awaitable<http_response> list_resources(directory& dir, const list_query& query,
                                              const mapping::resource_profile& resource,
                                              const std::string& base_url,
                                              const endpoint_settings& settings) {
    if (query.cursor) {
        co_return co_await cursor_resources(dir, query, resource, base_url, settings);
    }
    auto page = co_await query_resources(dir, query, resource, base_url, settings.reads);
    if (!page) {
        co_return error_response(page.error());
    }
    co_return list_response(page->total, query.start_index, page->count, page->resources);
}

asio::awaitable<http_response> list_resources(directory& dir, request_context& ctx,
                                              const mapping::resource_profile& resource,
                                              const std::string& base_url,
                                              const endpoint_settings& settings) {
    auto q = query_from_params(ctx, resource, settings.paging);
    if (!q) {
        co_return error_response(q.error());
    }
    co_return co_await list_resources(dir, *q, resource, base_url, settings);
}

asio::awaitable<http_response> search_resources(directory& dir, request_context& ctx,
                                                const mapping::resource_profile& resource,
                                                const std::string& base_url,
                                                const endpoint_settings& settings) {
    auto body = parse_json_body(ctx);
    if (!body) {
        co_return error_response(body.error());
    }
    auto q = query_from_search_request(*body, resource, settings.paging);
    if (!q) {
        co_return error_response(q.error());
    }
    co_return co_await list_resources(dir, *q, resource, base_url, settings);
}

}  // namespace scimldap::scim
