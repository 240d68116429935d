#include "bridge/scim/base_url.hpp"

#include <boost/beast/http/field.hpp>
#include "base/ascii_case.hpp"

#include <optional>

namespace scimldap::scim {
namespace bhttp = boost::beast::http;
namespace {

// RFC 3986 §3.2.2/§3.2.3: reg-name, IP literal and port characters. Anything else in Host is
// not echoed back into meta.location.
bool is_authority(std::string_view host) {
    if (host.empty()) {
        return false;
    }
    for (const char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("-._~:[]%!$&'()*+,;=").find(c) != std::string_view::npos;
        if (!ok) {
            return false;
        }
    }
    return true;
}

/// The first value of X-Forwarded-Proto when it is http or https.
std::optional<std::string> forwarded_scheme(const http_request& req) {
    std::string_view v = req["X-Forwarded-Proto"];
    v = v.substr(0, v.find(','));
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
        v.remove_prefix(1);
    }
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
        v.remove_suffix(1);
    }
    for (const char* scheme : {"http", "https"}) {
        if (ascii::iequals(v, scheme)) {
            return std::string(scheme);
        }
    }
    return std::nullopt;
}

}  // namespace

std::string request_base_url(const request_context& ctx, std::string_view base_path,
                             std::string_view default_scheme) {
    const std::string_view host = ctx.request[bhttp::field::host];
    if (!is_authority(host)) {
        return std::string(base_path);
    }
    const std::string scheme = forwarded_scheme(ctx.request).value_or(std::string(default_scheme));
    return scheme + "://" + std::string(host) + std::string(base_path);
}

}  // namespace scimldap::scim
