#include "bridge/auth/access_token.hpp"

#include "mapping/base64url.hpp"
#include "mapping/hmac_sha256.hpp"

#include <openssl/crypto.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace scimldap::auth {

namespace {

namespace json = boost::json;
using mapping::base64url_decode;
using mapping::base64url_encode;
using mapping::hmac_sha256;

// Far above any token this bridge issues (~400 bytes); a longer one is not parsed at all.
constexpr std::size_t max_token_size = 4096;

std::optional<json::object> decode_object(std::string_view segment) {
    const auto raw = base64url_decode(segment);
    if (!raw) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(*raw, ec);
    if (ec || !v.is_object()) {
        return std::nullopt;
    }
    return std::move(v.as_object());
}

std::optional<std::string> string_claim(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) {
        return std::nullopt;
    }
    return std::string(v->get_string());
}

std::optional<std::chrono::sys_seconds> time_claim(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_int64()) {
        return std::nullopt;
    }
    return std::chrono::sys_seconds(std::chrono::seconds(v->get_int64()));
}

std::optional<access_token_claims> read_claims(const json::object& o) {
    auto tenant = string_claim(o, "tenant");
    auto client_id = string_claim(o, "client_id");
    auto subject = string_claim(o, "sub");
    auto token_id = string_claim(o, "jti");
    const auto iat = time_claim(o, "iat");
    const auto exp = time_claim(o, "exp");
    if (!tenant || !client_id || !subject || !token_id || !iat || !exp) {
        return std::nullopt;
    }
    return access_token_claims{
        std::move(*tenant),  std::move(*client_id), std::move(*subject), *iat, *exp,
        std::move(*token_id)};
}

}  // namespace

bool looks_like_access_token(std::string_view text) {
    return std::count(text.begin(), text.end(), '.') == 2;
}

std::string sign_access_token(const access_token_claims& claims, const signing_key& key) {
    const json::object header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.id}};
    const json::object payload{{"tenant", claims.tenant},
                               {"client_id", claims.client_id},
                               {"sub", claims.subject},
                               {"iat", claims.issued_at.time_since_epoch().count()},
                               {"exp", claims.expires_at.time_since_epoch().count()},
                               {"jti", claims.token_id}};
    // RFC 7515 §7.1: the signing input is the two encoded segments joined by ".".
    const std::string input = base64url_encode(json::serialize(header)) + "." +
                              base64url_encode(json::serialize(payload));
    return input + "." + base64url_encode(hmac_sha256(key.secret, input));
}

std::variant<access_token_claims, token_defect> verify_access_token(
    std::string_view token, const std::vector<signing_key>& keys, std::chrono::sys_seconds now) {
    if (token.size() > max_token_size || !looks_like_access_token(token)) {
        return token_defect::malformed;
    }
    const std::size_t first = token.find('.');
    const std::size_t second = token.find('.', first + 1);
    const std::string_view input = token.substr(0, second);
    const std::string_view signature = token.substr(second + 1);
    const auto header = decode_object(token.substr(0, first));
    // RFC 8725 §3.1: the algorithm is the one this bridge uses, whatever the token says.
    if (!header || string_claim(*header, "alg") != "HS256") {
        return token_defect::malformed;
    }
    const auto kid = string_claim(*header, "kid");
    const auto key = std::find_if(keys.begin(), keys.end(),
                                  [&](const signing_key& k) { return kid && k.id == *kid; });
    if (key == keys.end()) {
        return token_defect::unknown_key;
    }
    // The expected signature's text is compared with the presented text: one canonical
    // spelling, and no decoding of attacker input before the MAC check.
    const std::string expected = base64url_encode(hmac_sha256(key->secret, input));
    if (expected.size() != signature.size() ||
        CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
        return token_defect::bad_signature;
    }
    const auto payload = decode_object(token.substr(first + 1, second - first - 1));
    auto claims = payload ? read_claims(*payload) : std::nullopt;
    if (!claims) {
        return token_defect::malformed;
    }
    // RFC 7519 §4.1.4: not accepted on or after "exp".
    if (now >= claims->expires_at) {
        return token_defect::expired;
    }
    return std::move(*claims);
}

}  // namespace scimldap::auth
