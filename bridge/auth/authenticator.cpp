#include "bridge/auth/authenticator.hpp"

#include "bridge/auth/token_hash.hpp"
#include "bridge/ldap/ascii_case.hpp"
#include "bridge/scim/error_response.hpp"

#include <boost/beast/core/string.hpp>

#include <cctype>
#include <stdexcept>

namespace scimldap::auth {

namespace {

std::shared_ptr<const scim::tenant_view> make_view(const mapping::config& config,
                                                   const mapping::tenant_settings& t) {
    auto view = std::make_shared<scim::tenant_view>();
    view->name = t.name;
    view->users_base = t.users_base;
    view->groups_base = t.groups_base;
    view->roles_base = t.roles_base;
    view->archive_base = t.archive_base;
    view->patch_no_content = t.patch_no_content;
    if (const auto it = config.profiles.find(t.profile); it != config.profiles.end()) {
        view->profile = it->second;
    }
    return view;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. Returns the token, or nullopt when the
// header is not in that form (wrong scheme, no token).
std::optional<std::string_view> bearer_token(std::string_view header) {
    constexpr std::string_view scheme = "Bearer";
    if (header.size() <= scheme.size() ||
        !boost::beast::iequals(header.substr(0, scheme.size()), scheme) ||
        header[scheme.size()] != ' ') {
        return std::nullopt;
    }
    std::string_view token = header.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    if (token.empty()) {
        return std::nullopt;
    }
    return token;
}

}  // namespace

authenticator::authenticator(const mapping::config& config) {
    std::map<std::string, std::shared_ptr<const scim::tenant_view>> views;
    for (const mapping::tenant_settings& t : config.tenants) {
        views[t.name] = make_view(config, t);
    }
    for (const mapping::token_settings& tok : config.tokens) {
        const auto it = views.find(tok.tenant);
        if (it == views.end()) {
            throw std::invalid_argument("token '" + tok.name + "' names unknown tenant '" +
                                        tok.tenant + "'");
        }
        entries_.push_back({tok.name, ascii::to_lower_copy(tok.sha256), it->second});
    }
}

std::variant<identity, failure> authenticator::authenticate(std::string_view authorization) const {
    const std::optional<std::string_view> token = bearer_token(authorization);
    // Hash and compare even without a usable token, so every refusal takes the same path.
    const std::string presented = hash_token(token.value_or(std::string_view{}));
    const entry* found = nullptr;
    for (const entry& e : entries_) {
        // Every entry is compared, whether or not an earlier one matched: the time taken does not
        // say which token matched or how many were tried.
        const bool same = constant_time_equal(presented, e.sha256);
        found = same && found == nullptr ? &e : found;
    }
    if (token && found != nullptr) {
        return identity{found->name, found->tenant};
    }
    return authorization.empty() ? failure::missing_credentials : failure::invalid_token;
}

scim::http_response unauthorized_response(failure why) {
    const bool missing = why == failure::missing_credentials;
    scim::http_response res = scim::error_response(
        {scim::errc::unauthorized,
         missing ? "authentication required: send Authorization: Bearer <token>"
                 : "the bearer token is missing, malformed or not valid"});
    // RFC 6750 §3: the challenge; error only when the client sent credentials (§3.1).
    res.set(boost::beast::http::field::www_authenticate,
            missing ? "Bearer realm=\"scim\"" : "Bearer realm=\"scim\", error=\"invalid_token\"");
    return res;
}

}  // namespace scimldap::auth
