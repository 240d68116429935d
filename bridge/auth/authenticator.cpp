#include "bridge/auth/authenticator.hpp"

#include "base/ascii_case.hpp"
#include "bridge/auth/authorization_header.hpp"
#include "bridge/auth/token_hash.hpp"
#include "bridge/scim/error_response.hpp"
#include "mapping/rfc3339_time.hpp"

#include <spdlog/spdlog.h>

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

using views_by_name = std::map<std::string, std::shared_ptr<const scim::tenant_view>>;

std::shared_ptr<const scim::tenant_view> view_named(const views_by_name& views,
                                                    const std::string& tenant,
                                                    std::string_view who) {
    const auto it = views.find(tenant);
    if (it == views.end()) {
        throw std::invalid_argument(std::string(who) + " names unknown tenant '" + tenant + "'");
    }
    return it->second;
}

std::vector<signing_key> keys_of(const mapping::oauth_settings& oauth) {
    std::vector<signing_key> keys;
    for (const mapping::signing_key_settings& k : oauth.signing_keys) {
        if (k.secret.size() < min_signing_key_bytes) {
            throw std::invalid_argument("OAuth signing key '" + k.id +
                                        "' was not read or is shorter than 32 bytes");
        }
        keys.push_back({k.id, k.secret});
    }
    return keys;
}

}  // namespace

authenticator::authenticator(const mapping::config& config) {
    views_by_name views;
    for (const mapping::tenant_settings& t : config.tenants) {
        views[t.name] = make_view(config, t);
    }
    for (const mapping::token_settings& tok : config.tokens) {
        entries_.push_back({tok.name, ascii::to_lower_copy(tok.sha256), tok.not_after,
                            view_named(views, tok.tenant, "token '" + tok.name + "'")});
    }
    if (config.oauth && !config.oauth->clients.empty()) {
        keys_ = keys_of(*config.oauth);
        for (const mapping::oauth_client_settings& c : config.oauth->clients) {
            clients_[c.client_id] = {c.name,
                                     view_named(views, c.tenant, "OAuth client '" + c.name + "'")};
        }
        token_endpoint_.emplace(*config.oauth, keys_);
    }
}

std::variant<identity, refusal> authenticator::authenticate(
    std::string_view authorization, std::chrono::system_clock::time_point now) const {
    const std::optional<std::string_view> token = credentials_for(authorization, "Bearer");
    // Hash and compare even without a usable token, so every refusal takes the same path.
    const std::string presented = hash_token(token.value_or(std::string_view{}));
    const entry* found = nullptr;
    for (const entry& e : entries_) {
        // Every entry is compared, whether or not an earlier one matched: the time taken does not
        // say which token matched or how many were tried.
        const bool same = constant_time_equal(presented, e.sha256);
        found = same && found == nullptr ? &e : found;
    }
    if (!token) {
        return refusal{
            authorization.empty() ? failure::missing_credentials : failure::invalid_token, {}};
    }
    const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
    if (found != nullptr) {
        // RFC 3339 "not after": refused from that instant on.
        if (found->not_after && seconds >= *found->not_after) {
            spdlog::warn(
                "refused token \"{}\" (tenant {}): expired at {}; issue a new one with "
                "`scim-ldap-bridge token new`",
                found->name, found->tenant->name, mapping::format_rfc3339(*found->not_after));
            return refusal{failure::expired_token, found->name};
        }
        return identity{found->name, found->tenant};
    }
    if (token_endpoint_ && looks_like_access_token(*token)) {
        return authenticate_access_token(*token, seconds);
    }
    return refusal{failure::invalid_token, {}};
}

std::variant<identity, refusal> authenticator::authenticate_access_token(
    std::string_view token, std::chrono::sys_seconds now) const {
    const auto verified = verify_access_token(token, keys_, now);
    if (const auto* defect = std::get_if<token_defect>(&verified)) {
        return refusal{
            *defect == token_defect::expired ? failure::expired_token : failure::invalid_token, {}};
    }
    const access_token_claims& claims = std::get<access_token_claims>(verified);
    // The client must still be configured, for the tenant the token names: removing a client
    // (and reloading) revokes its tokens before they expire.
    const auto it = clients_.find(claims.client_id);
    if (it == clients_.end() || it->second.tenant->name != claims.tenant) {
        spdlog::warn("refused access token {}: client \"{}\" of tenant {} is not configured",
                     claims.token_id, claims.subject, claims.tenant);
        return refusal{failure::invalid_token, {}};
    }
    return identity{it->second.name, it->second.tenant};
}

scim::http_response unauthorized_response(failure why) {
    // What the client reads (SCIM detail) and the RFC 6750 §3 challenge: error only when the
    // client sent credentials (§3.1), error_description when saying why helps it recover.
    struct wording {
        const char* detail;
        const char* challenge;
    };
    const wording w = [why]() -> wording {
        switch (why) {
            case failure::missing_credentials:
                return {"authentication required: send Authorization: Bearer <token>",
                        "Bearer realm=\"scim\""};
            case failure::expired_token:
                return {
                    "the bearer token has expired: use a current token, or request a new "
                    "access token",
                    "Bearer realm=\"scim\", error=\"invalid_token\", "
                    "error_description=\"the token has expired\""};
            case failure::invalid_token:
                break;
        }
        return {"the bearer token is missing, malformed or not valid",
                "Bearer realm=\"scim\", error=\"invalid_token\""};
    }();
    scim::http_response res = scim::error_response({scim::errc::unauthorized, w.detail});
    res.set(boost::beast::http::field::www_authenticate, w.challenge);
    return res;
}

}  // namespace scimldap::auth
