#include "bridge/scim/list_query.hpp"

#include "bridge/ldap/controls.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/id_lookup.hpp"
#include "bridge/scim/json_response.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/filter_translate.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"

#include <ldap.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int key_page_size = 1000;
/// Results up to this size come back from the first search (below slapd's default limit, 500).
constexpr int inline_limit = 200;
constexpr std::string_view list_response_schema =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";

struct query {
    std::optional<mapping::filter_node> filter;
    int start_index = 1;
    int count = 100;
    const mapping::attribute_mapping* sort_by = nullptr;
    bool descending = false;
};

result<int> integer_param(const request_context& ctx, std::string_view name, int fallback) {
    const auto raw = ctx.query_param(name);
    if (!raw || raw->empty()) {
        return fallback;
    }
    int v = 0;
    const auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
    if (ec != std::errc() || p != raw->data() + raw->size()) {
        return error{errc::invalid_value, "query parameter '" + std::string(name) +
                                              "' must be an integer, got \"" + *raw + "\""};
    }
    return v;
}

result<query> parse_query(const request_context& ctx, const mapping::resource_profile& resource,
                          const paging_limits& limits) {
    query q;
    if (const auto text = ctx.query_param("filter"); text && !text->empty()) {
        auto parsed = mapping::parse_filter(*text);
        if (!parsed) {
            const auto e = parsed.error();
            return error{errc::invalid_filter, "invalid filter: " + e.message};
        }
        q.filter = std::move(*parsed);
    }
    auto start = integer_param(ctx, "startIndex", 1);
    if (!start) {
        return start.error();
    }
    q.start_index = std::max(1, *start);  // RFC 7644 §3.4.2.4: values below 1 mean 1
    auto count = integer_param(ctx, "count", limits.default_count);
    if (!count) {
        return count.error();
    }
    q.count = std::clamp(*count, 0, limits.max_count);  // negative means 0
    if (const auto sort = ctx.query_param("sortBy"); sort && !sort->empty()) {
        auto path = mapping::parse_path(*sort);
        const auto* m = path && !path->value_filter ? resource.find(path->attribute) : nullptr;
        if (m == nullptr || m->multi_valued || m->ldap.empty() ||
            m->kind == mapping::behaviour::password) {
            return error{errc::invalid_value, "sortBy '" + *sort +
                                                  "' is not a single-valued attribute of " +
                                                  resource.name + " on this server"};
        }
        q.sort_by = m;
    }
    if (const auto order = ctx.query_param("sortOrder"); order) {
        if (boost::algorithm::iequals(*order, "descending")) {
            q.descending = true;
        } else if (!boost::algorithm::iequals(*order, "ascending") && !order->empty()) {
            return error{
                errc::invalid_value,
                "sortOrder must be \"ascending\" or \"descending\", got \"" + *order + "\""};
        }
    }
    return q;
}

struct key {
    std::string id;
    std::string sort;
};

/// Every matching entry's id and sort key (paged on a pinned connection).
asio::awaitable<result<std::vector<key>>> walk_keys(directory& dir,
                                                    const mapping::resource_profile& resource,
                                                    const ldap::filter& filter,
                                                    const std::string& sort_attribute) {
    ldap::search_request request;
    request.base = dir.base_of(resource);
    request.scope = ldap::scope::sub;
    request.filter = filter;
    request.attributes = {resource.id_attribute, sort_attribute};
    auto entries = co_await dir.search_all(std::move(request), key_page_size, resource.name);
    if (!entries) {
        co_return entries.error();
    }
    std::vector<key> keys;
    keys.reserve(entries->size());
    for (const auto& e : *entries) {
        if (auto id = e.first(resource.id_attribute)) {
            keys.push_back({std::move(*id), e.first(sort_attribute).value_or("")});
        }
    }
    co_return keys;
}

int compare(const std::string& a, const std::string& b, bool case_exact) {
    if (case_exact) {
        return a.compare(b);
    }
    if (boost::algorithm::ilexicographical_compare(a, b)) {
        return -1;
    }
    return boost::algorithm::ilexicographical_compare(b, a) ? 1 : 0;
}

void sort_keys(std::vector<key>& keys, bool case_exact, bool descending) {
    std::sort(keys.begin(), keys.end(), [&](const key& a, const key& b) {
        const int c = compare(a.sort, b.sort, case_exact);
        if (c != 0) {
            return descending ? c > 0 : c < 0;
        }
        return a.id < b.id;  // stable across requests: ties broken by id
    });
}

/// The entries of one page, in order, with their references resolved.
struct page {
    std::size_t total = 0;
    std::vector<found_entry> entries;
};

/// Small results (every IdP lookup) come from one search carrying the page's attributes; only
/// when the server's size limit is hit does the walk over ids and sort keys take over.
asio::awaitable<result<page>> read_page(directory& dir, const mapping::resource_profile& resource,
                                        const query& q, const ldap::filter& filter,
                                        const mapping::projection& fields) {
    const std::string sort_attribute = q.sort_by ? q.sort_by->ldap : resource.rdn_attribute;
    const bool case_exact = q.sort_by && q.sort_by->case_exact;
    const auto references = mapping::reference_mappings(resource, fields);
    std::vector<std::string> attributes = fields.ldap_attributes(resource);
    attributes.push_back(sort_attribute);

    ldap::search_request request;
    request.base = dir.base_of(resource);
    request.scope = ldap::scope::sub;
    request.filter = filter;
    request.attributes = attributes;
    request.size_limit = inline_limit;
    auto small = co_await dir.search(std::move(request), resource.name);
    if (small) {
        std::vector<key> keys;
        for (const auto& e : small->entries) {
            keys.push_back(
                {mapping::id_of(resource, e).value_or(""), e.first(sort_attribute).value_or("")});
        }
        sort_keys(keys, case_exact, q.descending);
        page out;
        out.total = keys.size();
        const std::size_t first = std::min<std::size_t>(q.start_index - 1, keys.size());
        const std::size_t last = std::min<std::size_t>(first + q.count, keys.size());
        for (std::size_t i = first; i < last; ++i) {
            auto it = std::find_if(
                small->entries.begin(), small->entries.end(),
                [&](const ldap::entry& e) { return mapping::id_of(resource, e) == keys[i].id; });
            found_entry f{std::move(*it), {}};
            auto refs = co_await dir.resolve_dns(f.entry, references);
            if (!refs) {
                co_return refs.error();
            }
            f.references = std::move(*refs);
            out.entries.push_back(std::move(f));
        }
        co_return out;
    }
    if (dir.last_ldap_code() != LDAP_SIZELIMIT_EXCEEDED) {
        co_return small.error();
    }
    auto keys = co_await walk_keys(dir, resource, filter, sort_attribute);
    if (!keys) {
        co_return keys.error();
    }
    sort_keys(*keys, case_exact, q.descending);
    page out;
    out.total = keys->size();
    const std::size_t first = std::min<std::size_t>(q.start_index - 1, keys->size());
    const std::size_t last = std::min<std::size_t>(first + q.count, keys->size());
    std::vector<std::string> ids;
    for (std::size_t i = first; i < last; ++i) {
        ids.push_back((*keys)[i].id);
    }
    auto found = co_await dir.find_by_ids(resource, ids, attributes, references, resource.name);
    if (!found) {
        co_return found.error();
    }
    for (const auto& id : ids) {
        auto it = std::find_if(found->begin(), found->end(), [&](const found_entry& f) {
            return mapping::id_of(resource, f.entry) == id;
        });
        if (it != found->end()) {  // else deleted between the walk and the read
            out.entries.push_back(std::move(*it));
        }
    }
    co_return out;
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

}  // namespace

asio::awaitable<http_response> list_resources(directory& dir, request_context& ctx,
                                              const mapping::resource_profile& resource,
                                              const std::string& base_url, paging_limits limits) {
    auto q = parse_query(ctx, resource, limits);
    if (!q) {
        co_return error_response(q.error());
    }
    ldap::filter filter = resource.search_filter;
    if (q->filter) {
        // members.value eq "id" and the like: LDAP holds DNs, so the ids are looked up first.
        auto references = co_await filter_references(dir, resource, *q->filter);
        if (!references) {
            co_return error_response(references.error());
        }
        auto translated = mapping::translate_filter(resource, *q->filter, *references);
        if (!translated) {
            co_return error_response(translated.error());
        }
        filter = std::move(*translated);
    }
    const auto fields =
        mapping::projection::parse(resource, ctx.query_param("attributes").value_or(""),
                                   ctx.query_param("excludedAttributes").value_or(""));
    auto found = co_await read_page(dir, resource, *q, filter, fields);
    if (!found) {
        co_return error_response(found.error());
    }
    json::array resources;
    for (const auto& f : found->entries) {
        const auto resolver = f.resolver();
        const mapping::read_context rc{fields, base_url, resolver};
        resources.emplace_back(mapping::to_resource(resource, f.entry, rc));
    }
    json::object body;
    body["schemas"] = json::array{json::value(list_response_schema)};
    body["totalResults"] = found->total;
    body["startIndex"] = q->start_index;
    body["itemsPerPage"] = resources.size();
    body["Resources"] = std::move(resources);
    co_return json_response(200, json::value(std::move(body)));
}

}  // namespace scimldap::scim
