#include "bridge/scim/discovery_endpoint.hpp"

#include "bridge/scim/base_url.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/json_response.hpp"
#include "mapping/discovery.hpp"
#include "mapping/profile.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include "base/ascii_case.hpp"

#include <memory>

namespace scimldap::scim {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr const char* list_response_schema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

http_response list_response(json::array resources) {
    json::object body;
    body["schemas"] = json::array{list_response_schema};
    body["totalResults"] = resources.size();
    body["itemsPerPage"] = resources.size();
    body["startIndex"] = 1;
    body["Resources"] = std::move(resources);
    return json_response(200, body);
}

/// The resource in resources whose id equals id (case-insensitively: schema URNs and resource
/// type names are matched as RFC 7643 §2.1 matches names), or nullptr.
const json::object* find_by_id(const json::array& resources, std::string_view id) {
    for (const json::value& v : resources) {
        const json::object& o = v.as_object();
        if (ascii::iequals(o.at("id").as_string(), id)) {
            return &o;
        }
    }
    return nullptr;
}

std::string ids(const json::array& resources) {
    std::string out;
    for (const json::value& v : resources) {
        out += out.empty() ? "" : ", ";
        out += v.as_object().at("id").as_string();
    }
    return out;
}

/// What every discovery request checks first: a profile to describe and no filter.
std::optional<error> precondition(const request_context& ctx, std::string_view endpoint) {
    if (ctx.query_param("filter")) {
        // RFC 7644 §4: a filter on these endpoints SHOULD get 403 so a client cannot assume the
        // matching conditions held.
        return error{errc::forbidden,
                     "filter is not supported on " + std::string(endpoint) + " (RFC 7644 §4)"};
    }
    if (!ctx.tenant.profile) {
        return error{errc::internal, "tenant " + ctx.tenant.name + " has no mapping profile"};
    }
    return std::nullopt;
}

/// A GET handler for one discovery endpoint; body builds the response from profile and base URL.
template <class Body>
handler discovery_handler(std::string endpoint, std::string base_path, std::string scheme,
                          Body body) {
    return [endpoint = std::move(endpoint), base_path = std::move(base_path),
            scheme = std::move(scheme),
            body = std::move(body)](request_context& ctx) -> boost::asio::awaitable<http_response> {
        if (auto e = precondition(ctx, endpoint)) {
            co_return error_response(*e);
        }
        const std::string base_url = request_base_url(ctx, base_path, scheme);
        co_return body(ctx, *ctx.tenant.profile, base_url);
    };
}

/// One resource of a collection by id, or a 404 naming the ids that exist.
http_response single(const json::array& resources, std::string_view id, std::string_view what) {
    if (const json::object* r = find_by_id(resources, id)) {
        return json_response(200, json::value(*r));
    }
    return error_response({errc::not_found, "no " + std::string(what) + " '" + std::string(id) +
                                                "'; this tenant publishes: " + ids(resources)});
}

}  // namespace

void register_discovery_routes(router& r, discovery_settings settings) {
    const std::string base = r.base_path();
    const std::string scheme = settings.default_scheme;
    const mapping::service_provider_options options{settings.max_results,
                                                    settings.documentation_uri,
                                                    settings.oauth_client_credentials,
                                                    settings.bulk_max_operations,
                                                    settings.bulk_max_payload_bytes,
                                                    settings.default_page_size,
                                                    settings.cursor_timeout_seconds};

    r.add(bhttp::verb::get, "/ServiceProviderConfig",
          discovery_handler(
              "/ServiceProviderConfig", base, scheme,
              [options](const request_context&, const mapping::profile& p, const std::string& url) {
                  return json_response(
                      200, json::value(mapping::service_provider_config(p, options, url)));
              }));
    r.add(bhttp::verb::get, "/ResourceTypes",
          discovery_handler(
              "/ResourceTypes", base, scheme,
              [](const request_context&, const mapping::profile& p, const std::string& url) {
                  return list_response(mapping::resource_type_resources(p, url));
              }));
    r.add(bhttp::verb::get, "/ResourceTypes/{name}",
          discovery_handler(
              "/ResourceTypes", base, scheme,
              [](const request_context& ctx, const mapping::profile& p, const std::string& url) {
                  return single(mapping::resource_type_resources(p, url), ctx.path_param("name"),
                                "resource type");
              }));
    r.add(bhttp::verb::get, "/Schemas",
          discovery_handler(
              "/Schemas", base, scheme,
              [](const request_context&, const mapping::profile& p, const std::string& url) {
                  return list_response(mapping::schema_resources(p, url));
              }));
    r.add(bhttp::verb::get, "/Schemas/{urn}",
          discovery_handler(
              "/Schemas", base, scheme,
              [](const request_context& ctx, const mapping::profile& p, const std::string& url) {
                  return single(mapping::schema_resources(p, url), ctx.path_param("urn"), "schema");
              }));
}

}  // namespace scimldap::scim
