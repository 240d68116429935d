// List/query requests on a resource collection (RFC 7644 §3.4.2 GET, §3.4.3 POST .search):
// filter, sort, page, project, ListResponse.
#pragma once

#include "base/scim_error.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/http_message.hpp"
#include "bridge/scim/request_context.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace scimldap::scim {

/// One list/query request, parsed and validated, whichever way it arrived.
struct list_query {
    std::optional<mapping::filter_node> filter;
    int start_index = 1;
    int count = 100;                                      // clamped to [0, max_count]
    const mapping::attribute_mapping* sort_by = nullptr;  // nullptr: by RDN, then id
    bool descending = false;
    std::string attributes;           // comma-separated, as in the query string
    std::string excluded_attributes;  // comma-separated
    /// Cursor paging (RFC 9865): set when the request has `cursor`, empty for the first page.
    /// Without it, pages are by index (startIndex), the default.
    std::optional<std::string> cursor;
};

/// The query parameters of `GET /Users?filter=...&startIndex=...`.
result<list_query> query_from_params(const request_context& ctx,
                                     const mapping::resource_profile& resource,
                                     const paging_limits& limits);

/// The body of `POST /Users/.search` (urn:ietf:params:scim:api:messages:2.0:SearchRequest).
result<list_query> query_from_search_request(const boost::json::value& body,
                                             const mapping::resource_profile& resource,
                                             const paging_limits& limits);

/// One page of a query's answer, before it becomes a ListResponse.
struct listed_page {
    std::size_t total = 0;  // totalResults: every match, not only this page
    std::size_t count = 0;  // resources on this page
    /// The page's resources as JSON text, comma-separated (the inside of a JSON array): written
    /// straight from the entries, never held as a JSON DOM.
    std::string resources;
};

/// The page `query` asks for, as SCIM resources (errors as values: the root search combines
/// the answers of several types).
boost::asio::awaitable<result<listed_page>> query_resources(
    directory& dir, const list_query& query, const mapping::resource_profile& resource,
    const std::string& base_url, const read_limits& limits);

/// A ListResponse (RFC 7644 §3.4.2) with these resources (`resources`: `count` JSON objects,
/// comma-separated).
http_response list_response(std::size_t total, int start_index, std::size_t count,
                            std::string_view resources);

/// A ListResponse of a cursor page (RFC 9865 §2): no totalResults (counting every match is the
/// walk cursors avoid; §2 allows leaving it out) and nextCursor unless this is the last page.
http_response cursor_list_response(std::size_t count, const std::optional<std::string>& next,
                                   std::string_view resources);

/// Answers a parsed query for `resource` in the tenant of `dir`: the filter is pushed down to
/// LDAP (re-checked in the bridge where LDAP matching differs); the walk reads only ids and
/// sort keys (paged, so no size limit truncates it), then the page's entries. Walks run under
/// `settings.reads.walks` and identical ones running at once are shared. A query with a
/// cursor reads its page as a key range instead (cursor_pages.hpp).
boost::asio::awaitable<http_response> list_resources(directory& dir, const list_query& query,
                                                     const mapping::resource_profile& resource,
                                                     const std::string& base_url,
                                                     const endpoint_settings& settings);

/// GET on a collection: the query parameters, then list_resources.
boost::asio::awaitable<http_response> list_resources(directory& dir, request_context& ctx,
                                                     const mapping::resource_profile& resource,
                                                     const std::string& base_url,
                                                     const endpoint_settings& settings);

/// POST {collection}/.search: the SearchRequest body, then list_resources (200, a ListResponse).
boost::asio::awaitable<http_response> search_resources(directory& dir, request_context& ctx,
                                                       const mapping::resource_profile& resource,
                                                       const std::string& base_url,
                                                       const endpoint_settings& settings);

}  // namespace scimldap::scim
