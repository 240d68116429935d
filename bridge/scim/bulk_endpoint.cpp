#include "bridge/scim/bulk_endpoint.hpp"

#include "base/ascii_case.hpp"
#include "bridge/scim/base_url.hpp"
#include "bridge/scim/error_response.hpp"
#include "bridge/scim/json_response.hpp"
#include "bridge/scim/request_body.hpp"
#include "mapping/json_keys.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace scimldap::scim {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view bulk_request_schema =
    "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr std::string_view bulk_response_schema =
    "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
// RFC 7644 §3.7.2: "bulkId:" and the client's bulkId stand for the id the server assigns.
constexpr std::string_view bulk_id_prefix = "bulkId:";

/// One operation of a BulkRequest, checked.
struct bulk_operation {
    std::size_t index = 0;
    bhttp::verb method = bhttp::verb::unknown;
    std::string method_name;
    std::string path;  // below the base path, "bulkId:" references still in it
    std::string bulk_id;
    std::optional<std::string> version;
    json::value data;                  // null for DELETE
    std::set<std::string> references;  // the bulkIds it names
};

struct bulk_request {
    std::vector<bulk_operation> operations;
    std::size_t fail_on_errors = 0;  // 0: every operation runs, whatever fails
};

error malformed(std::string detail) {
    return {errc::invalid_syntax, std::move(detail)};
}

/// The bulkIds named anywhere in `v`: every string that is "bulkId:<id>".
void collect_references(const json::value& v, std::set<std::string>& out) {
    if (v.is_string()) {
        const std::string_view s = v.get_string();
        if (s.size() > bulk_id_prefix.size() && s.starts_with(bulk_id_prefix)) {
            out.emplace(s.substr(bulk_id_prefix.size()));
        }
    } else if (v.is_array()) {
        for (const auto& item : v.get_array()) {
            collect_references(item, out);
        }
    } else if (v.is_object()) {
        for (const auto& [key, item] : v.get_object()) {
            collect_references(item, out);
        }
    }
}

/// The path's "bulkId:<id>" segments.
void collect_path_references(std::string_view path, std::set<std::string>& out) {
    std::size_t at = 0;
    while ((at = path.find(bulk_id_prefix, at)) != std::string_view::npos) {
        const std::size_t start = at + bulk_id_prefix.size();
        const std::size_t end = std::min(path.find('/', start), path.find('?', start));
        out.emplace(path.substr(start, end == std::string_view::npos ? end : end - start));
        at = start;
    }
}

void resolve_references(json::value& v, const std::map<std::string, std::string>& ids) {
    if (v.is_string()) {
        const std::string_view s = v.get_string();
        if (s.starts_with(bulk_id_prefix)) {
            if (const auto it = ids.find(std::string(s.substr(bulk_id_prefix.size())));
                it != ids.end()) {
                v = it->second;
            }
        }
    } else if (v.is_array()) {
        for (auto& item : v.get_array()) {
            resolve_references(item, ids);
        }
    } else if (v.is_object()) {
        for (auto& [key, item] : v.get_object()) {
            resolve_references(item, ids);
        }
    }
}

std::string resolve_path(std::string path, const std::map<std::string, std::string>& ids) {
    for (const auto& [bulk_id, id] : ids) {
        const std::string token = std::string(bulk_id_prefix) + bulk_id;
        for (std::size_t at = path.find(token); at != std::string::npos;
             at = path.find(token, at + id.size())) {
            const std::size_t end = at + token.size();
            if (end == path.size() || path[end] == '/' || path[end] == '?') {
                path.replace(at, token.size(), id);
            }
        }
    }
    return path;
}

result<bulk_operation> parse_operation(const json::value& v, std::size_t index) {
    const std::string where = "Operations[" + std::to_string(index) + "]";
    if (!v.is_object()) {
        return malformed(where + " must be an object");
    }
    const json::object& o = v.get_object();
    bulk_operation op;
    op.index = index;
    const json::value* method = mapping::find_member(o, "method");
    if (method == nullptr || !method->is_string()) {
        return malformed(where + ".method must be POST, PUT, PATCH or DELETE");
    }
    op.method_name = std::string(method->get_string());
    std::transform(op.method_name.begin(), op.method_name.end(), op.method_name.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
    op.method = bhttp::string_to_verb(op.method_name);
    if (op.method != bhttp::verb::post && op.method != bhttp::verb::put &&
        op.method != bhttp::verb::patch && op.method != bhttp::verb::delete_) {
        return malformed(where + ".method \"" + std::string(method->get_string()) +
                         "\" must be POST, PUT, PATCH or DELETE");
    }
    const json::value* path = mapping::find_member(o, "path");
    if (path == nullptr || !path->is_string() || !path->get_string().starts_with("/")) {
        return malformed(where + ".path must be a path below the base URL, like \"/Users\"");
    }
    op.path = std::string(path->get_string());
    if (ascii::iequals(op.path.substr(0, 5), "/Bulk")) {
        return malformed(where + ".path: a bulk operation cannot be a bulk request");
    }
    if (const json::value* id = mapping::find_member(o, "bulkId")) {
        if (!id->is_string() || id->get_string().empty()) {
            return malformed(where + ".bulkId must be a non-empty string");
        }
        op.bulk_id = std::string(id->get_string());
    }
    if (const json::value* version = mapping::find_member(o, "version");
        version && !version->is_null()) {
        if (!version->is_string()) {
            return malformed(where + ".version must be an ETag string");
        }
        op.version = std::string(version->get_string());
    }
    if (const json::value* data = mapping::find_member(o, "data"); data && !data->is_null()) {
        op.data = *data;
    }
    if (op.method != bhttp::verb::delete_ && !op.data.is_object()) {
        return malformed(where + ".data must be an object for " + op.method_name);
    }
    collect_references(op.data, op.references);
    collect_path_references(op.path, op.references);
    return op;
}

result<bulk_request> parse_bulk(const json::value& body, const bulk_limits& limits) {
    if (!body.is_object()) {
        return malformed("a bulk request is a JSON object");
    }
    const json::object& o = body.get_object();
    const json::value* schemas = mapping::find_member(o, "schemas");
    const bool listed =
        schemas && schemas->is_array() &&
        std::any_of(schemas->get_array().begin(), schemas->get_array().end(),
                    [](const json::value& s) {
                        return s.is_string() && ascii::iequals(s.get_string(), bulk_request_schema);
                    });
    if (!listed) {
        return malformed("a bulk request needs \"schemas\": [\"" +
                         std::string(bulk_request_schema) + "\"]");
    }
    bulk_request out;
    if (const json::value* fail = mapping::find_member(o, "failOnErrors");
        fail && !fail->is_null()) {
        if (!fail->is_int64() || fail->get_int64() < 1) {
            return error{errc::invalid_value, "failOnErrors must be an integer of at least 1"};
        }
        out.fail_on_errors = static_cast<std::size_t>(fail->get_int64());
    }
    const json::value* ops = mapping::find_member(o, "Operations");
    if (ops == nullptr || !ops->is_array()) {
        return malformed("a bulk request needs \"Operations\": [...]");
    }
    if (ops->get_array().size() > limits.max_operations) {
        // RFC 7644 §3.7.4's wording.
        return error{errc::payload_too_large,
                     "The number of operations exceeds the maxOperations (" +
                         std::to_string(limits.max_operations) + ")."};
    }
    std::set<std::string> bulk_ids;
    for (std::size_t i = 0; i < ops->get_array().size(); ++i) {
        auto op = parse_operation(ops->get_array()[i], i);
        if (!op) {
            return op.error();
        }
        if (!op->bulk_id.empty() && !bulk_ids.insert(op->bulk_id).second) {
            return error{errc::invalid_value, "Operations[" + std::to_string(i) + "].bulkId \"" +
                                                  op->bulk_id +
                                                  "\" is used by an earlier operation too"};
        }
        out.operations.push_back(std::move(*op));
    }
    for (const auto& op : out.operations) {
        for (const auto& ref : op.references) {
            if (bulk_ids.count(ref) == 0) {
                return error{errc::invalid_value,
                             "Operations[" + std::to_string(op.index) + "] names bulkId:" + ref +
                                 ", which no operation of this request defines"};
            }
        }
    }
    return out;
}

/// The result of an operation that did not run: the RFC's error body as its response.
json::object refused(const bulk_operation& op, const error& e) {
    json::object r;
    r["method"] = op.method_name;
    if (!op.bulk_id.empty()) {
        r["bulkId"] = op.bulk_id;
    }
    const wire_error wire = to_wire(e.code);
    r["status"] = std::to_string(wire.status);
    r["response"] = json::parse(error_body(e));
    return r;
}

class bulk_endpoint {
public:
    bulk_endpoint(const router& routes, bulk_limits limits)
        : routes_(routes), limits_(std::move(limits)) {}

    asio::awaitable<http_response> serve(request_context& ctx) const {
        if (ctx.audit != nullptr) {
            // A line for the request itself unless operations ran (each gets its own).
            ctx.audit->open("Bulk", "", nullptr);
        }
        if (limits_.max_operations == 0) {
            co_return error_response({errc::not_implemented, "Bulk is not enabled on this server"});
        }
        if (ctx.request.body().size() > limits_.max_payload_bytes) {
            co_return error_response({errc::payload_too_large,
                                      "The size of the bulk operation exceeds the "
                                      "maxPayloadSize (" +
                                          std::to_string(limits_.max_payload_bytes) + ")."});
        }
        auto body = parse_json_body(ctx);
        if (!body) {
            co_return error_response(body.error());
        }
        auto request = parse_bulk(*body, limits_);
        if (!request) {
            co_return error_response(request.error());
        }
        json::array results = co_await run(ctx, *request);
        json::object response;
        response["schemas"] = json::array{bulk_response_schema};
        response["Operations"] = std::move(results);
        co_return json_response(200, json::value(std::move(response)));
    }

private:
    struct run_state {
        std::map<std::string, std::string> ids;  // bulkId → the id its POST got
        std::set<std::string> failed;            // bulkIds whose operation failed
        std::size_t errors = 0;
        std::map<std::size_t, json::object> results;  // by operation index
    };

    /// Operations in order; one that names a bulkId not created yet waits until it is
    /// (RFC 7644 §3.7.2), so a group may name users created after it in the request. What is
    /// left when nothing more can run names itself in a circle: 409 (§3.7.3).
    asio::awaitable<json::array> run(request_context& ctx, bulk_request& request) const {
        run_state state;
        std::vector<bulk_operation*> waiting;
        for (auto& op : request.operations) {
            waiting.push_back(&op);
        }
        bool progressed = true;
        while (!waiting.empty() && progressed && !stopped(request, state)) {
            progressed = false;
            std::vector<bulk_operation*> still;
            for (bulk_operation* op : waiting) {
                if (stopped(request, state)) {
                    break;
                }
                if (const auto bad = failed_reference(*op, state)) {
                    fail(*op,
                         {errc::conflict, "bulkId:" + *bad + " names an operation that failed"},
                         state);
                    progressed = true;
                } else if (ready(*op, state)) {
                    co_await execute(ctx, *op, state);
                    progressed = true;
                } else {
                    still.push_back(op);
                }
            }
            waiting = std::move(still);
        }
        for (bulk_operation* op : waiting) {
            if (stopped(request, state)) {
                break;
            }
            fail(*op,
                 {errc::conflict,
                  "circular bulkId references: this operation and the ones it "
                  "names wait for each other"},
                 state);
        }
        json::array out;
        for (auto& [index, result] : state.results) {
            out.emplace_back(std::move(result));
        }
        co_return out;
    }

    static bool stopped(const bulk_request& request, const run_state& state) {
        return request.fail_on_errors != 0 && state.errors >= request.fail_on_errors;
    }
    static std::optional<std::string> failed_reference(const bulk_operation& op,
                                                       const run_state& state) {
        for (const auto& ref : op.references) {
            if (state.failed.count(ref) != 0) {
                return ref;
            }
        }
        return std::nullopt;
    }
    static bool ready(const bulk_operation& op, const run_state& state) {
        return std::all_of(op.references.begin(), op.references.end(),
                           [&](const std::string& ref) { return state.ids.count(ref) != 0; });
    }
    static void fail(const bulk_operation& op, const error& e, run_state& state) {
        state.results[op.index] = refused(op, e);
        ++state.errors;
        if (!op.bulk_id.empty()) {
            state.failed.insert(op.bulk_id);
        }
    }

    /// The operation as the single request it stands for, through the same route and handler.
    asio::awaitable<void> execute(request_context& ctx, bulk_operation& op,
                                  run_state& state) const {
        const std::string path = resolve_path(op.path, state.ids);
        http_request sub{op.method, routes_.base_path() + path, ctx.request.version()};
        for (const auto field : {bhttp::field::host, bhttp::field::accept}) {
            if (const auto it = ctx.request.find(field); it != ctx.request.end()) {
                sub.set(field, it->value());
            }
        }
        if (const auto it = ctx.request.find("X-Forwarded-Proto"); it != ctx.request.end()) {
            sub.set("X-Forwarded-Proto", it->value());
        }
        if (op.version) {
            sub.set(bhttp::field::if_match, *op.version);  // §3.7: version acts as If-Match
        }
        if (!op.data.is_null()) {
            resolve_references(op.data, state.ids);
            sub.set(bhttp::field::content_type, scim_content_type);
            sub.body() = json::serialize(op.data);
        }
        sub.prepare_payload();

        dispatch_report report;
        report.confirm_writes = false;  // once, for the whole bulk request
        audit_trail part;
        if (ctx.audit != nullptr) {
            report.audit = &part;
        }
        const http_response res = co_await routes_.dispatch(sub, ctx.tenant, report);
        ctx.ldap_ops += report.ldap_ops;
        ctx.ldap_writes += report.ldap_writes;
        const unsigned status = res.result_int();
        if (ctx.audit != nullptr) {
            ctx.audit->add_part(std::move(part),
                                {op.method_name, report.route, status, op.bulk_id, op.index});
        }
        state.results[op.index] = result_of(ctx, op, path, res);
        if (status >= 400) {
            ++state.errors;
            if (!op.bulk_id.empty()) {
                state.failed.insert(op.bulk_id);
            }
        } else if (op.method == bhttp::verb::post && !op.bulk_id.empty()) {
            if (const auto id = id_in(res)) {
                state.ids[op.bulk_id] = *id;
            }
        }
    }

    static std::optional<std::string> id_in(const http_response& res) {
        boost::system::error_code ec;
        const json::value v = json::parse(res.body(), ec);
        if (ec || !v.is_object()) {
            return std::nullopt;
        }
        const json::value* id = v.get_object().if_contains("id");
        return id && id->is_string() ? std::optional<std::string>(id->get_string()) : std::nullopt;
    }

    json::object result_of(const request_context& ctx, const bulk_operation& op,
                           const std::string& path, const http_response& res) const {
        json::object r;
        r["method"] = op.method_name;
        if (!op.bulk_id.empty()) {
            r["bulkId"] = op.bulk_id;
        }
        const unsigned status = res.result_int();
        if (status < 400) {
            if (const auto it = res.find(bhttp::field::location); it != res.end()) {
                r["location"] = it->value();
            } else if (op.method != bhttp::verb::post) {
                r["location"] =
                    request_base_url(ctx, routes_.base_path(), limits_.default_scheme) + path;
            }
            if (const auto it = res.find(bhttp::field::etag); it != res.end()) {
                r["version"] = it->value();
            }
        }
        r["status"] = std::to_string(status);
        if (status >= 400) {
            boost::system::error_code ec;
            json::value error = json::parse(res.body(), ec);
            if (!ec) {
                r["response"] = std::move(error);
            }
        }
        return r;
    }

    const router& routes_;
    bulk_limits limits_;
};

}  // namespace

void register_bulk_route(router& routes, bulk_limits limits) {
    auto endpoint = std::make_shared<bulk_endpoint>(routes, std::move(limits));
    routes.add(bhttp::verb::post, "/Bulk",
               [endpoint](request_context& ctx) { return endpoint->serve(ctx); });
}

}  // namespace scimldap::scim
