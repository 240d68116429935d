// libFuzzer target: raw bytes as a client sends them on a connection, through the HTTP parser
// (with the session's limits), the application (probes, OAuth token endpoint, bearer auth,
// tenant choice) and the router, to endpoints that parse and validate like the real ones
// (bodies, PatchOp, list queries and filters, projections, discovery) over a fake directory
// kept in memory. Up to eight pipelined requests per input share the directory, so a create can
// be followed by a PATCH of what it made. No answer may be a 500, and every JSON answer is JSON.
#include "bridge/http/application.hpp"
#include "bridge/scim/base_url.hpp"
#include "bridge/scim/discovery_endpoint.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/json_response.hpp"
#include "bridge/scim/list_query.hpp"
#include "bridge/scim/request_body.hpp"
#include "mapping/config_loader.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/filter_match.hpp"
#include "mapping/patch.hpp"
#include "mapping/patch_request.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace scimldap::fuzz {
namespace {

namespace bhttp = boost::beast::http;
using scim::http_response;
using scim::request_context;

// Two tenants with the two shipped profiles. Tokens: "fuzz-token-a" opens tenant a,
// "fuzz-token-b" tenant b; OAuth client "fuzz-client" with secret "fuzz-secret" opens b.
constexpr std::string_view config_text = R"({
  "ldap": {"uris": ["ldap://127.0.0.1:1"], "bind_dn": "cn=fuzz,dc=example,dc=org",
           "password_file": "/nonexistent/fuzz.password"},
  "tenants": [
    {"name": "a", "profile": "openldap-inetorgperson", "users_base": "ou=People,o=a",
     "groups_base": "ou=Groups,o=a", "roles_base": "ou=Roles,o=a", "archive_base": "ou=Archive,o=a"},
    {"name": "b", "profile": "classlark", "users_base": "ou=People,o=b",
     "groups_base": "ou=Groups,o=b", "roles_base": "ou=Roles,o=b", "archive_base": "ou=Archive,o=b"}
  ],
  "tokens": [
    {"name": "token-a", "tenant": "a",
     "sha256": "9c31dcd969bec098877423d99024baff7aa6448bcf7e710fd42cb958a5084beb"},
    {"name": "token-b", "tenant": "b",
     "sha256": "d5ed2f722695e3a95f6712efde1423a86ad49143977594f241996bfda69506bc"}
  ],
  "oauth": {
    "signing_keys": [{"id": "k1", "key_file": "/nonexistent/fuzz.key"}],
    "clients": [{"client_id": "fuzz-client", "tenant": "b", "name": "fuzz-client",
      "secret_sha256": "eaab94e20269e8e0bb400fcfd40103905395519f6e1fc441e60faa69c63512d8"}]
  }
})";

constexpr std::size_t max_requests = 8;
constexpr std::size_t max_entries = 32;

// The directory the fake endpoints read and write: entries by tenant and resource type, then id.
struct fake_directory {
    std::map<std::string, std::map<std::string, ldap::entry>> entries;
    unsigned next_id = 1;

    std::map<std::string, ldap::entry>& of(const request_context& ctx,
                                           const mapping::resource_profile& resource) {
        return entries[ctx.tenant.name + "/" + resource.name];
    }
    std::string new_id() {
        const std::string n = std::to_string(next_id++);
        return "00000000-0000-4000-8000-" + std::string(12 - n.size(), '0') + n;
    }
};

fake_directory directory;

const mapping::resource_profile& resource_of(const request_context& ctx, bool group) {
    return group ? ctx.tenant.profile->group : ctx.tenant.profile->user;
}

std::string base_url(const request_context& ctx) {
    return scim::request_base_url(ctx, "/scim/v2", "https");
}

mapping::projection fields_of(const request_context& ctx,
                              const mapping::resource_profile& resource) {
    return mapping::projection::parse(resource, ctx.query_param("attributes").value_or(""),
                                      ctx.query_param("excludedAttributes").value_or(""));
}

http_response resource_response(unsigned status, const request_context& ctx,
                                const mapping::resource_profile& resource,
                                const ldap::entry& entry) {
    const mapping::reference_resolver none = [](const ldap::dn&) {
        return static_cast<const mapping::resolved_reference*>(nullptr);
    };
    const mapping::projection fields = fields_of(ctx, resource);
    const std::string url = base_url(ctx);
    std::string text;
    mapping::append_resource_json(text, resource, entry, {fields, url, none});
    return scim::json_response(status, std::move(text));
}

bool rdn_taken(const std::map<std::string, ldap::entry>& entries, const ldap::entry& e,
               const std::string& except_id) {
    for (const auto& [id, other] : entries) {
        if (id != except_id && ldap::normalize_dn(other.name) == ldap::normalize_dn(e.name)) {
            return true;
        }
    }
    return false;
}

// The body of a POST or PUT, read as the endpoints read it.
scim::result<mapping::desired_entry> desired_of(const request_context& ctx,
                                                const mapping::resource_profile& resource) {
    auto body = scim::parse_json_body(ctx);
    if (!body) {
        return body.error();
    }
    return mapping::from_resource(resource, *body);
}

http_response create(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    auto desired = desired_of(ctx, resource);
    if (!desired) {
        return scim::error_response(desired.error());
    }
    auto& entries = directory.of(ctx, resource);
    ldap::entry e = entry_of(resource, *desired, directory.new_id());
    if (rdn_taken(entries, e, "") || entries.size() >= max_entries) {
        return scim::error_response({scim::errc::uniqueness, "taken"});
    }
    const std::string id = *mapping::id_of(resource, e);
    const auto& stored = entries.emplace(id, std::move(e)).first->second;
    return resource_response(201, ctx, resource, stored);
}

const ldap::entry* find(request_context& ctx, const mapping::resource_profile& resource) {
    auto& entries = directory.of(ctx, resource);
    const auto it = entries.find(std::string(ctx.path_param("id")));
    return it == entries.end() ? nullptr : &it->second;
}

http_response not_found(const request_context& ctx) {
    return scim::error_response(
        {scim::errc::not_found, "no resource " + std::string(ctx.path_param("id"))});
}

http_response get(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    const ldap::entry* e = find(ctx, resource);
    return e ? resource_response(200, ctx, resource, *e) : not_found(ctx);
}

// Stores `desired` in place of the entry with this id (PUT, and PATCH after the engine).
http_response replace(request_context& ctx, const mapping::resource_profile& resource,
                      const ldap::entry& current, const mapping::desired_entry& desired) {
    const std::string id = *mapping::id_of(resource, current);
    (void)mapping::diff_entry(current, desired.attributes, resource.rdn_attribute);
    auto& entries = directory.of(ctx, resource);
    ldap::entry next = entry_of(resource, desired, id);
    if (rdn_taken(entries, next, id)) {
        return scim::error_response({scim::errc::uniqueness, "taken"});
    }
    entries[id] = std::move(next);
    return resource_response(200, ctx, resource, entries[id]);
}

http_response put(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    const ldap::entry* e = find(ctx, resource);
    if (e == nullptr) {
        return not_found(ctx);
    }
    (void)scim::if_match(ctx);
    auto desired = desired_of(ctx, resource);
    if (!desired) {
        return scim::error_response(desired.error());
    }
    return replace(ctx, resource, *e, *desired);
}

http_response patch(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    const ldap::entry* e = find(ctx, resource);
    if (e == nullptr) {
        return not_found(ctx);
    }
    auto body = scim::parse_json_body(ctx);
    if (!body) {
        return scim::error_response(body.error());
    }
    auto ops = mapping::parse_patch_request(*body);
    if (!ops) {
        return scim::error_response(ops.error());
    }
    auto patched = mapping::apply_patch(resource, render(resource, *e), *ops);
    if (!patched) {
        return scim::error_response(patched.error());
    }
    auto desired = mapping::from_resource(resource, boost::json::value(std::move(*patched)));
    if (!desired) {
        return scim::error_response(desired.error());
    }
    return replace(ctx, resource, *e, *desired);
}

http_response remove(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    if (directory.of(ctx, resource).erase(std::string(ctx.path_param("id"))) == 0) {
        return not_found(ctx);
    }
    return http_response{bhttp::status::no_content, ctx.request.version()};
}

http_response list(request_context& ctx, const mapping::resource_profile& resource,
                   const scim::list_query& query) {
    const mapping::reference_resolver none = [](const ldap::dn&) {
        return static_cast<const mapping::resolved_reference*>(nullptr);
    };
    const auto fields =
        mapping::projection::parse(resource, query.attributes, query.excluded_attributes);
    const std::string url = base_url(ctx);
    std::size_t total = 0;
    std::size_t count = 0;
    std::string page;
    for (const auto& [id, e] : directory.of(ctx, resource)) {
        if (query.filter &&
            !mapping::resource_matches(resource, *query.filter, render(resource, e))) {
            continue;
        }
        ++total;
        if (total >= static_cast<std::size_t>(query.start_index) &&
            count < static_cast<std::size_t>(query.count)) {
            page += count++ == 0 ? "" : ",";
            mapping::append_resource_json(page, resource, e, {fields, url, none});
        }
    }
    return scim::list_response(total, query.start_index, count, page);
}

http_response list_get(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    auto query = scim::query_from_params(ctx, resource, {});
    return query ? list(ctx, resource, *query) : scim::error_response(query.error());
}

http_response list_post(request_context& ctx, bool group) {
    const auto& resource = resource_of(ctx, group);
    auto body = scim::parse_json_body(ctx);
    if (!body) {
        return scim::error_response(body.error());
    }
    auto query = scim::query_from_search_request(*body, resource, {});
    return query ? list(ctx, resource, *query) : scim::error_response(query.error());
}

// The fake endpoints as router handlers, for /Users and /Groups.
void add_routes(scim::router& routes, std::string_view collection, bool group) {
    using fn = http_response (*)(request_context&, bool);
    const auto route = [&](bhttp::verb method, std::string_view suffix, fn f) {
        routes.add(method, std::string(collection) + std::string(suffix),
                   [f, group](request_context& ctx) -> boost::asio::awaitable<http_response> {
                       co_return f(ctx, group);
                   });
    };
    route(bhttp::verb::post, "", create);
    route(bhttp::verb::get, "", list_get);
    route(bhttp::verb::post, "/.search", list_post);
    route(bhttp::verb::get, "/{id}", get);
    route(bhttp::verb::put, "/{id}", put);
    route(bhttp::verb::patch, "/{id}", patch);
    route(bhttp::verb::delete_, "/{id}", remove);
}

struct fixture {
    mapping::config config;
    http::pipeline_slot slot;
    http::application app{slot};
    boost::asio::io_context io;

    fixture() : config(load()) {
        auto p = std::make_shared<http::pipeline>(config, [] {
            return http::readiness{true, std::string(), std::string()};
        });
        add_routes(p->routes, "/Users", false);
        add_routes(p->routes, "/Groups", true);
        scim::register_discovery_routes(p->routes, {});
        slot.store(std::move(p));
    }

    static mapping::config load() {
        const std::string shipped = std::string(SCIMLDAP_SOURCE_DIR) + "/mapping/profiles";
        auto c = mapping::parse_config(config_text, "fuzz-config.json", shipped, {shipped});
        require(c.has_value());
        // The key file is read at start-up in the service (bridge/cli); here it is given.
        c->oauth->signing_keys.front().secret = std::string(48, 'k');
        return std::move(*c);
    }

    http_response serve(const scim::http_request& req) {
        http::exchange_info info;
        std::exception_ptr failed;
        std::optional<http_response> res;
        boost::asio::co_spawn(io, app(req, info), [&](std::exception_ptr e, http_response r) {
            failed = e;
            res = std::move(r);
        });
        io.restart();
        io.run();
        require(!failed && res.has_value());  // the session would answer 500
        return std::move(*res);
    }
};

void check(const http_response& res) {
    require(res.result_int() != 500);
    const auto type = res[bhttp::field::content_type];
    if (!res.body().empty() && type.find("json") != std::string_view::npos) {
        require(parse_json(res.body()).has_value());
    }
}

}  // namespace

// In scimldap, so that `ldap` names the LDAP layer, not libldap's `struct ldap`.
void serve_connection(std::string_view in) {
    static fixture f;
    directory = {};
    for (std::size_t n = 0; n < max_requests && !in.empty(); ++n) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(8 * 1024);
        parser.body_limit(64 * 1024);
        parser.eager(true);
        boost::system::error_code ec;
        const std::size_t used = parser.put(boost::asio::buffer(in.data(), in.size()), ec);
        if (ec || !parser.is_done()) {
            break;  // the session answers 400/413/431 or waits for more
        }
        in.remove_prefix(used);
        check(f.serve(parser.get()));
    }
}

}  // namespace scimldap::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    scimldap::fuzz::serve_connection({reinterpret_cast<const char*>(data), size});
    return 0;
}
