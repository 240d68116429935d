#include "bridge/scim/root_search.hpp"

#include "bridge/scim/base_url.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/list_query.hpp"
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
/// would need one order over two schemas; the type endpoints offer it instead.
result<void> check_no_sort(const json::value& body) {
    const auto* o = body.if_object();
    const auto* sort_by = o ? o->if_contains("sortBy") : nullptr;
    if (sort_by != nullptr && !sort_by->is_null()) {
        return error{errc::invalid_value,
                     "sortBy is not supported on the root /.search (results span Users and "
                     "Groups); search /Users/.search or /Groups/.search to sort"};
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
        const auto& users = ctx.tenant.profile->user;
        const auto& groups = ctx.tenant.profile->group;
        auto user_query = query_from_search_request(*body, users, settings_.paging);
        if (!user_query) {
            co_return error_response(user_query.error());
        }
        auto group_query = query_from_search_request(*body, groups, settings_.paging);
        if (!group_query) {
            co_return error_response(group_query.error());
        }
        directory dir(client_, ctx.tenant, ctx.ldap_ops);
        const std::string url = request_base_url(ctx, base_path_, settings_.default_scheme);

        auto user_page = co_await query_resources(dir, *user_query, users, url, settings_.reads);
        if (!user_page && !type_does_not_apply(user_page)) {
            co_return error_response(user_page.error());
        }
        // The groups' window continues where the users' ended.
        const std::size_t user_total = user_page ? user_page->total : 0;
        const std::size_t user_count = user_page ? user_page->count : 0;
        const auto start = static_cast<std::size_t>(user_query->start_index);
        group_query->start_index = start > user_total ? static_cast<int>(start - user_total) : 1;
        group_query->count = std::max(0, user_query->count - static_cast<int>(user_count));
        auto group_page = co_await query_resources(dir, *group_query, groups, url, settings_.reads);
        if (!group_page && !type_does_not_apply(group_page)) {
            co_return error_response(group_page.error());
        }
        if (!user_page && !group_page) {
            co_return error_response(user_page.error());
        }
        std::string resources;
        std::size_t total = 0;
        std::size_t count = 0;
        for (auto* page : {&user_page, &group_page}) {
            if (*page) {
                total += (*page)->total;
                count += (*page)->count;
                if (!resources.empty() && !(*page)->resources.empty()) {
                    resources += ',';
                }
                resources += (*page)->resources;
            }
        }
        co_return list_response(total, user_query->start_index, count, resources);
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
