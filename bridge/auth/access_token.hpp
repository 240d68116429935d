// OAuth access tokens as compact JWTs (RFC 7519) signed with HMAC-SHA256 (RFC 7518 §3.2, HS256):
// self-contained, so bridges that share a key verify each other's tokens without a store.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace scimldap::auth {

/// The shortest key accepted: RFC 7518 §3.2 asks for a key at least as long as the hash (256
/// bits).
inline constexpr std::size_t min_signing_key_bytes = 32;

/// A key that signs or verifies: its id (the JWT header's "kid") and its secret bytes.
struct signing_key {
    std::string id;
    std::string secret;
};

/// What an access token asserts.
struct access_token_claims {
    std::string tenant;     // private claim "tenant": the tenant the token opens
    std::string client_id;  // "client_id" (RFC 9068 §2.2): the client it was issued to
    std::string subject;    // "sub": the client's configured name (logs)
    std::chrono::sys_seconds issued_at;   // "iat"
    std::chrono::sys_seconds expires_at;  // "exp"
    std::string token_id;                 // "jti": tells two tokens apart in logs and audits
};

/// Why a token is refused. Each is answered the same way (401 invalid_token); the difference
/// is for the log and the error_description.
enum class token_defect { malformed, unknown_key, bad_signature, expired };

/// True when text has a JWT's shape (three dot-separated parts): a static token never has.
bool looks_like_access_token(std::string_view text);

/// The compact JWT for claims, signed with key (header {"alg":"HS256","typ":"JWT","kid":id}).
std::string sign_access_token(const access_token_claims& claims, const signing_key& key);

/// The claims of a token one of keys signed (the key its "kid" names), not expired at now.
/// The MAC is compared in constant time; only HS256 is accepted (never "none").
std::variant<access_token_claims, token_defect> verify_access_token(
    std::string_view token, const std::vector<signing_key>& keys, std::chrono::sys_seconds now);

}  // namespace scimldap::auth
