#include "bridge/auth/oauth_endpoint.hpp"

#include "bridge/auth/basic_credentials.hpp"
#include "bridge/auth/form_body.hpp"
#include "bridge/auth/random_secret.hpp"
#include "bridge/auth/token_hash.hpp"

#include <spdlog/spdlog.h>
#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

namespace scimldap::auth {

namespace {

namespace bhttp = boost::beast::http;

// Bytes of randomness in a token's "jti": unique across every token any bridge issues.
constexpr std::size_t token_id_bytes = 16;

/// RFC 6749 §5.2 error codes this endpoint answers with.
enum class oauth_error { invalid_request, invalid_client, unsupported_grant_type };

std::string_view code_of(oauth_error e) {
    switch (e) {
        case oauth_error::invalid_request:
            return "invalid_request";
        case oauth_error::invalid_client:
            return "invalid_client";
        case oauth_error::unsupported_grant_type:
            return "unsupported_grant_type";
    }
    return "invalid_request";
}

// RFC 6749 §5.1: the token response (and, harmlessly, every other) is never cached.
scim::http_response json_answer(bhttp::status status, const boost::json::object& body) {
    scim::http_response res{status, 11};
    res.set(bhttp::field::content_type, "application/json;charset=UTF-8");
    res.set(bhttp::field::cache_control, "no-store");
    res.set(bhttp::field::pragma, "no-cache");
    res.body() = boost::json::serialize(body);
    res.prepare_payload();
    return res;
}

scim::http_response error_answer(oauth_error e, std::string_view description) {
    const bool client = e == oauth_error::invalid_client;
    scim::http_response res =
        json_answer(client ? bhttp::status::unauthorized : bhttp::status::bad_request,
                    {{"error", code_of(e)}, {"error_description", description}});
    if (client) {
        // RFC 6749 §5.2: invalid_client answers 401 with the challenge of a scheme the client
        // may use; HTTP Basic is the one every client supports (§2.3.1).
        res.set(bhttp::field::www_authenticate, "Basic realm=\"oauth\"");
    }
    return res;
}

bool is_form_content_type(std::string_view content_type) {
    const std::string_view media = content_type.substr(0, content_type.find(';'));
    const auto first = media.find_first_not_of(' ');
    const auto last = media.find_last_not_of(' ');
    return first != std::string_view::npos &&
           boost::beast::iequals(media.substr(first, last - first + 1),
                                 "application/x-www-form-urlencoded");
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

}  // namespace

bool is_token_endpoint_target(std::string_view target, std::string_view base_path) {
    const std::string_view path = path_of(target);
    if (path == token_endpoint_path) {
        return true;
    }
    return path.size() == base_path.size() + token_endpoint_path.size() &&
           path.substr(0, base_path.size()) == base_path &&
           path.substr(base_path.size()) == token_endpoint_path;
}

token_endpoint::token_endpoint(const mapping::oauth_settings& settings,
                               std::vector<signing_key> keys)
    : clients_(settings.clients),
      keys_(std::move(keys)),
      lifetime_(std::chrono::duration_cast<std::chrono::seconds>(settings.token_lifetime)) {
    if (keys_.empty()) {
        throw std::invalid_argument("the OAuth token endpoint needs a signing key");
    }
}

const mapping::oauth_client_settings* token_endpoint::authenticate_client(
    std::string_view id, std::string_view secret) const {
    // Like bearer tokens: the secret's hash is compared with every client's, in constant time
    // and without stopping at a match, so timing tells neither which client ids exist nor how
    // close a guess was.
    const std::string presented = hash_token(secret);
    const mapping::oauth_client_settings* found = nullptr;
    for (const mapping::oauth_client_settings& c : clients_) {
        const bool same = constant_time_equal(presented, c.secret_sha256) && c.client_id == id;
        found = same && found == nullptr ? &c : found;
    }
    return found;
}

token_endpoint::outcome token_endpoint::respond(const scim::http_request& req,
                                                std::chrono::sys_seconds now) const {
    const auto refuse = [](oauth_error e, std::string_view description) {
        return outcome{error_answer(e, description), {}, {}};
    };
    if (req.method() != bhttp::verb::post) {
        // RFC 6749 §3.2: "The client MUST use the HTTP POST method".
        outcome o = refuse(oauth_error::invalid_request, "the token endpoint takes POST only");
        o.response.result(bhttp::status::method_not_allowed);
        o.response.set(bhttp::field::allow, "POST");
        return o;
    }
    if (!is_form_content_type(req[bhttp::field::content_type])) {
        return refuse(oauth_error::invalid_request,
                      "send the parameters as application/x-www-form-urlencoded (RFC 6749 §4.4.2)");
    }
    const auto form = parse_form_body(req.body());
    if (!form) {
        return refuse(oauth_error::invalid_request, form.error().message);
    }
    const auto field = [&](std::string_view name) -> const std::string* {
        const auto it = form->find(name);
        return it == form->end() ? nullptr : &it->second;
    };
    const std::string_view authorization = req[bhttp::field::authorization];
    std::optional<client_credentials> presented;
    if (!authorization.empty()) {
        if (!is_basic_authorization(authorization)) {
            return refuse(oauth_error::invalid_client,
                          "authenticate the client with HTTP Basic or with client_id and "
                          "client_secret in the body");
        }
        presented = parse_basic_credentials(authorization);
        if (!presented) {
            return refuse(oauth_error::invalid_request,
                          "the Basic credentials are not base64 of client_id:client_secret");
        }
        // RFC 6749 §2.3: one authentication method per request. A client_id in the body that
        // repeats Basic's is allowed (§3.2.1 lets clients send it).
        const std::string* body_id = field("client_id");
        if (field("client_secret") != nullptr ||
            (body_id != nullptr && *body_id != presented->client_id)) {
            return refuse(oauth_error::invalid_request,
                          "the client is authenticated twice (HTTP Basic and the body): use one");
        }
    }
    const std::string* grant_type = field("grant_type");
    if (grant_type == nullptr) {
        return refuse(oauth_error::invalid_request,
                      "grant_type is missing: send grant_type=client_credentials");
    }
    if (*grant_type != "client_credentials") {
        return refuse(oauth_error::unsupported_grant_type,
                      "only grant_type=client_credentials is served (RFC 6749 §4.4)");
    }
    if (!presented) {
        const std::string* id = field("client_id");
        const std::string* secret = field("client_secret");
        if (id == nullptr || secret == nullptr) {
            return refuse(oauth_error::invalid_client,
                          "client authentication is missing: send HTTP Basic or client_id and "
                          "client_secret");
        }
        presented = client_credentials{*id, *secret};
    }
    const mapping::oauth_client_settings* client =
        authenticate_client(presented->client_id, presented->client_secret);
    if (client == nullptr) {
        return refuse(oauth_error::invalid_client, "unknown client or wrong client secret");
    }
    access_token_claims claims{client->tenant,  client->client_id,
                               client->name,    now,
                               now + lifetime_, random_secret(token_id_bytes)};
    const std::string token = sign_access_token(claims, keys_.front());
    spdlog::info("oauth: access token {} issued to client \"{}\" (tenant {}), valid {}s",
                 claims.token_id, client->name, client->tenant, lifetime_.count());
    return {json_answer(bhttp::status::ok, {{"access_token", token},
                                            {"token_type", "Bearer"},
                                            {"expires_in", lifetime_.count()}}),
            client->name, client->tenant};
}

}  // namespace scimldap::auth
