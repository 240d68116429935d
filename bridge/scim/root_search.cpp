#include "bridge/scim/root_search.hpp"

#include "bridge/scim/base_url.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/list_query.hpp"
#include "bridge/scim/recent_writes.hpp"
#include "bridge/scim/request_body.hpp"

#include <algorithm>

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

/// A type whose schema lacks an attribute the filter names matches nothing there (the filter
/// cannot be true of it); only when no type understands the filter is that an error.
bool type_does_not_apply(const result<listed_page>& r) {
    return !r && r.error().code == errc::invalid_filter;
}

/// Without sortBy each type keeps its own stable order (Users first). Sorting across types
/// would need one order over two schemas; the type endpoints offer it instead. Cursor pages
/// (RFC 9865) likewise are offered per type: one cursor would have to span several types.
result<void> check_no_sort(const json::value& body) {
    const auto* o = body.if_object();
    const auto given = [&](std::string_view key) {
        const auto* v = o ? o->if_contains(key) : nullptr;
        return v != nullptr && !v->is_null();
    };
    if (given("sortBy")) {
        return error{errc::invalid_value,
                     "sortBy is not supported on the root /.search (results span Users and "
                     "Groups); search /Users/.search or /Groups/.search to sort"};
    }
    if (given("cursor")) {
        return error{errc::invalid_value,
                     "cursor is not supported on the root /.search (results span Users and "
                     "Groups); page /Users/.search or /Groups/.search by cursor"};
    }
    return {};
}

class root_search {
public:
    root_search(ldap::operations& client, std::string base_path, endpoint_settings settings)
        : client_(client), base_path_(std::move(base_path)), settings_(std::move(settings)) {}

    asio::awaitable<http_response> search(request_context& ctx) {
        auto body = parse_json_body(ctx);
        if (!body) {
            co_return error_response(body.error());
        }
        if (auto ok = check_no_sort(*body); !ok) {
            co_return error_response(ok.error());
        }
        // Every resource type in the profile's order, each page continuing where the one before
        // ended (RFC 7644 §3.4.3 leaves the order to the server).
        const auto types = ctx.tenant.profile->resources();
        std::vector<list_query> queries;
        for (const auto* type : types) {
            auto query = query_from_search_request(*body, *type, settings_.paging);
            if (!query) {
                co_return error_response(query.error());
            }
            queries.push_back(std::move(*query));
        }
        directory dir(client_, ctx.tenant, ctx.ldap_ops);
        dir.allow_replica_reads(recent_writes::replica_reads(settings_, ctx.tenant));
        const std::string url = request_base_url(ctx, base_path_, settings_.default_scheme);
        const auto start = static_cast<std::size_t>(queries.front().start_index);
        const int wanted = queries.front().count;
        std::string resources;
        std::size_t total = 0;
        std::size_t count = 0;
        std::optional<error> first_refusal;
        bool any_applied = false;
        for (std::size_t i = 0; i < types.size(); ++i) {
            auto& query = queries[i];
            query.start_index = start > total ? static_cast<int>(start - total) : 1;
            query.count = std::max(0, wanted - static_cast<int>(count));
            auto page = co_await query_resources(dir, query, *types[i], url, settings_.reads);
            if (!page) {
                if (!type_does_not_apply(page)) {
                    co_return error_response(page.error());
                }
                first_refusal = first_refusal.value_or(page.error());
                continue;
            }
            any_applied = true;
            total += page->total;
            count += page->count;
            if (!resources.empty() && !page->resources.empty()) {
                resources += ',';
            }
            resources += page->resources;
        }
        if (!any_applied && first_refusal) {
            co_return error_response(*first_refusal);
        }
        co_return list_response(total, static_cast<int>(start), count, resources);
    }

private:
    ldap::operations& client_;
    std::string base_path_;
    endpoint_settings settings_;
};

}  // namespace

void register_root_search_route(router& routes, ldap::operations& client,
                                endpoint_settings settings) {
    auto h = std::make_shared<root_search>(client, routes.base_path(), std::move(settings));
    routes.add(boost::beast::http::verb::post, "/.search",
               [h](request_context& c) { return h->search(c); });
}

}  // namespace scimldap::scim
