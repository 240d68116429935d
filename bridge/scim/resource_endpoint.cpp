#include "bridge/scim/resource_endpoint.hpp"

#include "bridge/scim/recent_writes.hpp"

#include "bridge/scim/base_url.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/list_query.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "mapping/resource_json.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/schema_aliases.hpp"

#include <boost/json.hpp>

namespace scimldap::scim {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using mapping::projection;

namespace {

projection projection_of(const request_context& ctx, const mapping::resource_profile& resource) {
    return projection::parse(resource, ctx.query_param("attributes").value_or(""),
                             ctx.query_param("excludedAttributes").value_or(""));
}

bool names_attributes(const request_context& ctx) {
    return ctx.query_param("attributes") || ctx.query_param("excludedAttributes");
}

http_response no_content(const request_context& ctx) {
    return http_response{http::status::no_content, ctx.request.version()};
}

/// The JSON body of a POST or PUT, schema URN aliases read as the standard ones (R15).
result<boost::json::value> parse_resource_body(const request_context& ctx,
                                               const mapping::resource_profile& resource) {
    auto body = parse_json_body(ctx);
    if (body && body->is_object()) {
        mapping::standardize_resource_body(resource, body->get_object());
    }
    return body;
}

/// Every write request gets an audit line, also one refused before it reached the directory.
/// A write request starts: its audit line opens, and the tenant's reads stay on the write
/// target for a while (read-your-writes; they may include this write even when it fails).
void begin_write(const resource_request& r) {
    if (r.ctx.audit != nullptr) {
        r.ctx.audit->open(r.resource.name, r.id, r.ctx.tenant.profile);
    }
    recent_writes::note(r.ctx.tenant);
}

}  // namespace

std::string rdn_name(const mapping::resource_profile& resource) {
    const auto& mapped = resource.find_by_ldap(resource.rdn_attribute);
    return mapped.empty() ? resource.rdn_attribute
                          : mapped.front()->scim.to_string(resource.schema);
}

error not_found(const mapping::resource_profile& resource, std::string_view id) {
    return {errc::not_found, resource.name + " " + std::string(id) + " not found"};
}

result<void> check_if_match(const request_context& ctx, const mapping::resource_profile& resource,
                            const ldap::entry& current) {
    const auto version = current.first(resource.meta.version);
    const std::string shown = "the current version W/\"" + version.value_or("") + "\"";
    const auto& req = ctx.request;
    if (const auto expected = etag_condition_of(req, http::field::if_match);
        expected && !expected->matches(version)) {
        return error{
            errc::precondition_failed,
            "If-Match " + std::string(req[http::field::if_match]) + " does not match " + shown};
    }
    if (const auto unwanted = etag_condition_of(req, http::field::if_none_match);
        unwanted && unwanted->matches(version)) {
        return error{
            errc::precondition_failed,
            "If-None-Match " + std::string(req[http::field::if_none_match]) + " matches " + shown};
    }
    return {};
}

asio::awaitable<result<void>> resource_behaviour::remove(resource_request& r,
                                                         const ldap::entry& current) {
    auto removed = co_await r.dir.remove(current.name, r.resource.name);
    if (!removed) {
        co_return removed.error();
    }
    co_return result<void>{};
}

asio::awaitable<void> resource_behaviour::finish_earlier_remove(resource_request&) {
    co_return;
}

std::vector<std::string> resource_behaviour::remove_attributes(
    const mapping::resource_profile&) const {
    return {};
}

resource_endpoint::resource_endpoint(ldap::operations& backend, std::string base_path,
                                     endpoint_settings settings,
                                     std::unique_ptr<resource_behaviour> behaviour)
    : backend_(backend),
      base_path_(std::move(base_path)),
      settings_(std::move(settings)),
      behaviour_(std::move(behaviour)) {}

std::string resource_endpoint::base_url(const request_context& ctx) const {
    return request_base_url(ctx, base_path_, settings_.default_scheme);
}

asio::awaitable<result<resource_reply>> resource_endpoint::read(resource_request& r,
                                                                const projection& fields,
                                                                bool after_write) const {
    const auto& resource = r.resource;
    // excludedAttributes=members: `member` is not requested, so no member value is read.
    const auto references = mapping::reference_mappings(resource, fields);
    auto attributes = fields.ldap_attributes(resource);
    auto found = co_await behaviour_->find(r, std::move(attributes), references);
    if (!found && after_write && found.error().code == errc::too_many && resource.members) {
        const auto without_members = projection::parse(resource, "", "members");
        co_return co_await read(r, without_members);
    }
    if (!found) {
        co_return found.error();
    }
    if (!*found) {
        co_return not_found(resource, r.id);
    }
    const auto& f = **found;
    const auto resolver = f.resolver();
    const std::string url = base_url(r.ctx);
    const mapping::read_context rc{fields, url, resolver};
    // The URL from the entry's own id: the request's may differ in case.
    resource_reply reply{
        {}, mapping::etag_of(resource, f.entry), mapping::location_of(resource, f.entry, url)};
    mapping::append_resource_json(reply.json, resource, f.entry, rc);
    co_return reply;
}

asio::awaitable<result<found_entry>> resource_endpoint::load_for_write(
    resource_request& r, std::vector<std::string> attributes,
    const std::vector<const mapping::attribute_mapping*>& references) const {
    auto found = co_await behaviour_->find(r, std::move(attributes), references);
    if (!found) {
        co_return found.error();
    }
    if (!*found) {
        co_return not_found(r.resource, r.id);
    }
    if (auto ok = check_if_match(r.ctx, r.resource, (*found)->entry); !ok) {
        co_return ok.error();
    }
    if (test_hooks::between_read_and_write) {
        test_hooks::between_read_and_write(r.id);
    }
    co_return std::move(**found);
}

resource_request resource_endpoint::request_of(directory& dir, request_context& ctx) const {
    return {dir, ctx, resource_of(ctx.tenant), *this, std::string(ctx.path_param("id"))};
}

const mapping::resource_profile& resource_endpoint::resource_of(const tenant_view& tenant) const {
    return *behaviour_->resource(tenant);
}

bool resource_endpoint::offered_to(const tenant_view& tenant) const {
    return tenant.profile != nullptr && behaviour_->resource(tenant) != nullptr;
}

asio::awaitable<http_response> resource_endpoint::not_offered(request_context& ctx) const {
    co_return error_response(
        {errc::not_found, "no SCIM endpoint at " + std::string(ctx.target.path()) +
                              " for this tenant: its profile \"" +
                              (ctx.tenant.profile ? ctx.tenant.profile->name : std::string()) +
                              "\" has no such resource type"});
}

asio::awaitable<http_response> resource_endpoint::answer_patch(resource_request& r) {
    const auto answer =
        names_attributes(r.ctx) ? patch_reply::resource : behaviour_->patch_answer(r.ctx.tenant);
    if (answer == patch_reply::no_content) {
        co_return no_content(r.ctx);
    }
    if (answer == patch_reply::resource) {
        co_return co_await answer_write(r, 200);
    }
    const auto fields = projection_of(r.ctx, r.resource);
    auto reply = co_await read(r, fields, true);
    if (!reply) {
        co_return error_response(reply.error());
    }
    http_response res = no_content(r.ctx);
    if (reply->etag) {
        res.set(http::field::etag, *reply->etag);
    }
    co_return res;
}

template <class Attempt>
asio::awaitable<result<void>> resource_endpoint::with_retries(Attempt attempt) {
    result<void> written = error{errc::internal, ""};
    for (int n = 1; n <= max_write_attempts; ++n) {
        bool retry = false;
        written = co_await attempt(retry);
        if (!retry) {
            break;
        }
    }
    co_return written;
}

asio::awaitable<http_response> resource_endpoint::answer_write(resource_request& r,
                                                               unsigned status) {
    const auto fields = projection_of(r.ctx, r.resource);
    auto reply = co_await read(r, fields, true);
    if (!reply) {
        co_return error_response(reply.error());
    }
    co_return resource_response(status, std::move(*reply));
}

asio::awaitable<http_response> resource_endpoint::get(request_context& ctx) {
    directory dir(backend_, ctx);
    dir.allow_replica_reads(recent_writes::replica_reads(settings_, ctx.tenant));
    resource_request r = request_of(dir, ctx);
    const auto fields = projection_of(ctx, r.resource);
    auto reply = co_await read(r, fields);
    if (!reply && dir.replica_reads() && reply.error().code == errc::not_found) {
        // Made by another bridge a moment ago, not yet on the replica: the write target knows.
        dir.allow_replica_reads(false);
        reply = co_await read(r, fields);
    }
    if (!reply) {
        co_return error_response(reply.error());
    }
    // RFC 9110 §13.1.2: the client holds this version already; the ETag tells it which.
    if (const auto held = etag_condition_of(ctx.request, http::field::if_none_match);
        held && reply->etag && held->matches(std::string(etag_value(*reply->etag)))) {
        http_response res{http::status::not_modified, ctx.request.version()};
        res.set(http::field::etag, *reply->etag);
        co_return res;
    }
    co_return resource_response(200, std::move(*reply));
}

asio::awaitable<http_response> resource_endpoint::create(request_context& ctx) {
    directory dir(backend_, ctx);
    resource_request r = request_of(dir, ctx);
    begin_write(r);
    auto body = parse_resource_body(ctx, r.resource);
    if (!body) {
        co_return error_response(body.error());
    }
    auto id = co_await behaviour_->create(r, *body);
    if (!id) {
        co_return error_response(id.error());
    }
    r.id = std::move(*id);
    dir.note_created(r.resource, r.id);
    co_return co_await answer_write(r, 201);
}

asio::awaitable<http_response> resource_endpoint::replace(request_context& ctx) {
    directory dir(backend_, ctx);
    resource_request r = request_of(dir, ctx);
    begin_write(r);
    auto body = parse_resource_body(ctx, r.resource);
    if (!body) {
        co_return error_response(body.error());
    }
    auto written =
        co_await with_retries([&](bool& retry) { return behaviour_->replace(r, *body, retry); });
    if (!written) {
        co_return error_response(written.error());
    }
    co_return co_await answer_write(r, 200);
}

asio::awaitable<http_response> resource_endpoint::patch(request_context& ctx) {
    directory dir(backend_, ctx);
    resource_request r = request_of(dir, ctx);
    begin_write(r);
    auto body = parse_json_body(ctx);
    if (!body) {
        co_return error_response(body.error());
    }
    if (body->is_object()) {
        mapping::standardize_patch_body(r.resource, body->get_object());
    }
    auto ops = mapping::parse_patch_request(*body);
    if (!ops) {
        co_return error_response(ops.error());
    }
    auto written =
        co_await with_retries([&](bool& retry) { return behaviour_->patch(r, *ops, retry); });
    if (!written) {
        co_return error_response(written.error());
    }
    co_return co_await answer_patch(r);
}

asio::awaitable<http_response> resource_endpoint::remove(request_context& ctx) {
    directory dir(backend_, ctx);
    resource_request r = request_of(dir, ctx);
    begin_write(r);
    auto attributes = behaviour_->remove_attributes(r.resource);
    attributes.push_back(r.resource.id_attribute);
    attributes.push_back(r.resource.meta.version);
    std::vector<ldap::control> no_controls;
    auto found = co_await dir.read_by_id(r.resource, r.id, std::move(attributes),
                                         std::move(no_controls), r.resource.name);
    if (!found) {
        co_return error_response(found.error());
    }
    if (!*found) {
        co_await behaviour_->finish_earlier_remove(r);
        co_return error_response(not_found(r.resource, r.id));
    }
    if (auto ok = check_if_match(ctx, r.resource, **found); !ok) {
        co_return error_response(ok.error());
    }
    auto removed = co_await behaviour_->remove(r, **found);
    if (!removed) {
        co_return error_response(removed.error());
    }
    co_return no_content(ctx);
}

asio::awaitable<http_response> resource_endpoint::list(request_context& ctx) {
    directory dir(backend_, ctx);
    dir.allow_replica_reads(recent_writes::replica_reads(settings_, ctx.tenant));
    const std::string url = base_url(ctx);
    co_return co_await list_resources(dir, ctx, resource_of(ctx.tenant), url, settings_);
}

/// RFC 7644 §3.4.3: the query in a SearchRequest body, answered like a GET on the collection.
asio::awaitable<http_response> resource_endpoint::search(request_context& ctx) {
    directory dir(backend_, ctx);
    dir.allow_replica_reads(recent_writes::replica_reads(settings_, ctx.tenant));
    const std::string url = base_url(ctx);
    co_return co_await search_resources(dir, ctx, resource_of(ctx.tenant), url, settings_);
}

void register_resource_routes(router& routes, const std::string& collection,
                              std::shared_ptr<resource_endpoint> endpoint) {
    using method = asio::awaitable<http_response> (resource_endpoint::*)(request_context&);
    const auto serve = [e = std::move(endpoint)](method m) {
        return [e, m](request_context& c) {
            return e->offered_to(c.tenant) ? ((*e).*m)(c) : e->not_offered(c);
        };
    };
    const std::string item = collection + "/{id}";
    routes.add(http::verb::get, collection, serve(&resource_endpoint::list));
    routes.add(http::verb::post, collection, serve(&resource_endpoint::create));
    routes.add(http::verb::post, collection + "/.search", serve(&resource_endpoint::search));
    routes.add(http::verb::get, item, serve(&resource_endpoint::get));
    routes.add(http::verb::put, item, serve(&resource_endpoint::replace));
    routes.add(http::verb::patch, item, serve(&resource_endpoint::patch));
    routes.add(http::verb::delete_, item, serve(&resource_endpoint::remove));
}

}  // namespace scimldap::scim
