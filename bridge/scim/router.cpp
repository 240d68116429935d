#include "bridge/scim/router.hpp"

#include "bridge/scim/error_response.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <stdexcept>

namespace scimldap::scim {

namespace bhttp = boost::beast::http;

namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    if (path.empty() || path == "/") {
        return out;
    }
    if (path.front() == '/') {
        path.remove_prefix(1);
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        out.emplace_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return out;
}

bool is_param_segment(std::string_view s) {
    return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

std::string trim_media_type(std::string_view content_type) {
    content_type = content_type.substr(0, content_type.find(';'));
    while (!content_type.empty() && (content_type.back() == ' ' || content_type.back() == '\t')) {
        content_type.remove_suffix(1);
    }
    while (!content_type.empty() && (content_type.front() == ' ' || content_type.front() == '\t')) {
        content_type.remove_prefix(1);
    }
    return std::string(content_type);
}

std::string allow_header(const std::vector<bhttp::verb>& methods) {
    std::string out;
    for (const bhttp::verb m : methods) {
        if (!out.empty()) {
            out += ", ";
        }
        out += bhttp::to_string(m);
    }
    return out;
}

bool has_body(const http_request& req) {
    return !req.body().empty();
}

// A body without any Content-Type is read as JSON: RFC 9110 §8.3 lets the recipient examine the
// data, and Okta's SCIM 2.0 SPEC test POSTs users without one (IDP-QUIRKS R17). A body that
// says what it is must say JSON.
bool has_acceptable_body_type(const http_request& req) {
    const auto it = req.find(bhttp::field::content_type);
    return it == req.end() || is_acceptable_body_type(it->value());
}

}  // namespace

bool is_acceptable_body_type(std::string_view content_type) {
    const std::string media = trim_media_type(content_type);
    return boost::beast::iequals(media, "application/scim+json") ||
           boost::beast::iequals(media, "application/json");
}

router::router(std::string base_path) : base_path_(std::move(base_path)) {
    while (!base_path_.empty() && base_path_.back() == '/') {
        base_path_.pop_back();
    }
    base_segments_ = split_path(base_path_);
}

void router::add(bhttp::verb method, std::string_view pattern, handler h) {
    if (pattern.empty() || pattern.front() != '/') {
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    }
    route r{method, std::string(pattern), {}, std::move(h)};
    for (std::string& s : split_path(pattern)) {
        if (s.empty()) {
            throw std::invalid_argument("empty segment in route pattern " + r.pattern);
        }
        const bool param = is_param_segment(s);
        r.segments.push_back({param ? s.substr(1, s.size() - 2) : std::move(s), param});
    }
    for (const route& existing : routes_) {
        if (existing.method == method && existing.pattern == r.pattern) {
            throw std::invalid_argument("route registered twice: " + r.pattern);
        }
    }
    routes_.push_back(std::move(r));
}

bool router::owns(std::string_view target) const {
    const std::string_view path = target.substr(0, target.find('?'));
    if (path.substr(0, base_path_.size()) != base_path_) {
        return false;
    }
    return path.size() == base_path_.size() || path[base_path_.size()] == '/';
}

boost::asio::awaitable<http_response> router::dispatch(const http_request& req,
                                                       const tenant_view& tenant,
                                                       dispatch_report& report) const {
    auto parsed = boost::urls::parse_origin_form(req.target());
    if (!parsed) {
        co_return error_response({errc::bad_request, "the request target is not a valid URI"});
    }
    const boost::urls::url_view target = *parsed;
    // Decoded segment by segment, so an id containing an encoded '/' stays one segment.
    std::vector<std::string> segments;
    for (const std::string s : target.segments()) {
        segments.push_back(s);
    }
    const std::string path = target.path();
    if (segments.size() < base_segments_.size() ||
        !std::equal(base_segments_.begin(), base_segments_.end(), segments.begin())) {
        co_return error_response(
            {errc::not_found, "no SCIM endpoint at " + path + " (base path " + base_path_ + ")"});
    }
    segments.erase(segments.begin(),
                   segments.begin() + static_cast<std::ptrdiff_t>(base_segments_.size()));
    // "/Users/?filter=..." (Microsoft's SCIM Postman collection) names the same endpoint as
    // "/Users": a trailing slash never starts an id.
    if (!segments.empty() && segments.back().empty()) {
        segments.pop_back();
    }

    const route* match = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::vector<bhttp::verb> allowed;
    for (const route& r : routes_) {
        if (r.segments.size() != segments.size()) {
            continue;
        }
        std::map<std::string, std::string, std::less<>> captured;
        bool same = true;
        for (std::size_t i = 0; same && i < segments.size(); ++i) {
            if (r.segments[i].is_param) {
                same = !segments[i].empty();
                captured[r.segments[i].text] = segments[i];
            } else {
                // Endpoint names are matched case-insensitively ("/users" from Microsoft's
                // Postman collection; the ASP.NET reference server routes that way too).
                same = boost::beast::iequals(r.segments[i].text, segments[i]);
            }
        }
        if (!same) {
            continue;
        }
        if (r.method == req.method() && match == nullptr) {
            match = &r;
            params = std::move(captured);
        } else if (r.method != req.method()) {
            allowed.push_back(r.method);
        }
    }

    if (match == nullptr) {
        if (allowed.empty()) {
            co_return error_response({errc::not_found, "no SCIM endpoint at " + path});
        }
        http_response res =
            error_response({errc::method_not_allowed,
                            std::string(req.method_string()) + " is not supported on " + path});
        // RFC 9110 §15.5.6: a 405 lists the methods the resource supports.
        res.set(bhttp::field::allow, allow_header(allowed));
        co_return res;
    }
    if (has_body(req) && !has_acceptable_body_type(req)) {
        co_return error_response(
            {errc::unsupported_media_type,
             "request bodies must be application/scim+json or application/json, not '" +
                 std::string(req[bhttp::field::content_type]) + "'"});
    }

    request_context ctx{req, target, std::move(params), tenant};
    ctx.audit = report.audit;
    report.route = match->pattern;
    http_response res = co_await match->fn(ctx);
    report.ldap_ops = ctx.ldap_ops;
    report.ldap_writes = ctx.ldap_writes;
    if (report.confirm_writes && confirm_writes_ && ctx.ldap_writes > 0 && res.result_int() < 300) {
        auto created = std::move(ctx.created);
        const auto replicated = co_await confirm_writes_(std::move(created));
        if (replicated == ldap::replication::source_lost) {
            co_return error_response(
                {errc::unavailable,
                 "the LDAP server that took this request's changes stopped answering before "
                 "another server held them; they may be lost: send the request again"});
        }
        if (replicated == ldap::replication::conflict) {
            co_return error_response(
                {errc::uniqueness,
                 "the entry this request created was replaced by another of the same name, "
                 "created at the same time through another LDAP server (a replication "
                 "conflict): look the resource up by its name"});
        }
    }
    if (!res.body().empty() && res[bhttp::field::content_type].empty()) {
        res.set(bhttp::field::content_type, scim_content_type);
    }
    co_return res;
}

}  // namespace scimldap::scim
