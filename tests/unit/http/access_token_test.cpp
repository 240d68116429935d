#include "bridge/auth/access_token.hpp"
#include "bridge/auth/random_secret.hpp"
#include "mapping/base64url.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <set>

namespace scimldap::auth {
namespace {

using namespace std::chrono_literals;
using mapping::base64url_decode;
using mapping::base64url_encode;

const signing_key key_2026{"2026-12", std::string(32, 'k')};
const signing_key key_2027{"2027-01", std::string(40, 'n')};
const std::chrono::sys_seconds t0{std::chrono::seconds(1'800'000'000)};

access_token_claims claims_at(std::chrono::sys_seconds iat) {
    return {"acme", "acme-client", "acme-entra", iat, iat + 3600s, "jti-1"};
}

std::variant<access_token_claims, token_defect> verify(const std::string& token,
                                                       const std::vector<signing_key>& keys,
                                                       std::chrono::sys_seconds now) {
    return verify_access_token(token, keys, now);
}

token_defect defect_of(const std::variant<access_token_claims, token_defect>& v) {
    EXPECT_TRUE(std::holds_alternative<token_defect>(v)) << "the token was accepted";
    return std::holds_alternative<token_defect>(v) ? std::get<token_defect>(v)
                                                   : token_defect::malformed;
}

TEST(AccessToken, SignedTokenVerifiesWithItsClaims) {
    const std::string token = sign_access_token(claims_at(t0), key_2026);
    EXPECT_TRUE(looks_like_access_token(token));
    const auto v = verify(token, {key_2026}, t0 + 10s);
    ASSERT_TRUE(std::holds_alternative<access_token_claims>(v));
    const auto& c = std::get<access_token_claims>(v);
    EXPECT_EQ(c.tenant, "acme");
    EXPECT_EQ(c.client_id, "acme-client");
    EXPECT_EQ(c.subject, "acme-entra");
    EXPECT_EQ(c.issued_at, t0);
    EXPECT_EQ(c.expires_at, t0 + 3600s);
    EXPECT_EQ(c.token_id, "jti-1");
}

TEST(AccessToken, HeaderIsHs256WithTheKeyId) {
    const std::string token = sign_access_token(claims_at(t0), key_2026);
    const auto header = base64url_decode(token.substr(0, token.find('.')));
    ASSERT_TRUE(header);
    EXPECT_EQ(*header, R"({"alg":"HS256","typ":"JWT","kid":"2026-12"})");
}

TEST(AccessToken, ExpiredAtExpAndAfter) {
    const std::string token = sign_access_token(claims_at(t0), key_2026);
    EXPECT_TRUE(std::holds_alternative<access_token_claims>(verify(token, {key_2026}, t0 + 3599s)));
    EXPECT_EQ(defect_of(verify(token, {key_2026}, t0 + 3600s)), token_defect::expired);
    EXPECT_EQ(defect_of(verify(token, {key_2026}, t0 + 86400s)), token_defect::expired);
}

TEST(AccessToken, ChangedPayloadIsABadSignature) {
    const std::string token = sign_access_token(claims_at(t0), key_2026);
    const std::string other =
        sign_access_token({"beta", "acme-client", "acme-entra", t0, t0 + 3600s, "jti-1"}, key_2026);
    // The header and signature of one token around the payload of another (tenant beta).
    const std::size_t a = token.find('.'), b = token.rfind('.');
    const std::size_t oa = other.find('.'), ob = other.rfind('.');
    const std::string forged = token.substr(0, a) + other.substr(oa, ob - oa) + token.substr(b);
    EXPECT_EQ(defect_of(verify(forged, {key_2026}, t0)), token_defect::bad_signature);
}

TEST(AccessToken, SameKidOtherSecretIsABadSignature) {
    const std::string token = sign_access_token(claims_at(t0), {"2026-12", std::string(32, 'x')});
    EXPECT_EQ(defect_of(verify(token, {key_2026}, t0)), token_defect::bad_signature);
}

TEST(AccessToken, TruncatedSignatureIsABadSignature) {
    const std::string token = sign_access_token(claims_at(t0), key_2026);
    EXPECT_EQ(defect_of(verify(token.substr(0, token.size() - 1), {key_2026}, t0)),
              token_defect::bad_signature);
}

TEST(AccessToken, UnknownKidIsRefused) {
    const std::string token = sign_access_token(claims_at(t0), key_2027);
    EXPECT_EQ(defect_of(verify(token, {key_2026}, t0)), token_defect::unknown_key);
}

TEST(AccessToken, RotationOverlapVerifiesTokensOfTheOldAndTheNewKey) {
    // Rotation: the new key is listed first (it signs), the old one stays for verification.
    const std::vector<signing_key> ring{key_2027, key_2026};
    const std::string old_token = sign_access_token(claims_at(t0), key_2026);
    const std::string new_token = sign_access_token(claims_at(t0), key_2027);
    EXPECT_TRUE(std::holds_alternative<access_token_claims>(verify(old_token, ring, t0)));
    EXPECT_TRUE(std::holds_alternative<access_token_claims>(verify(new_token, ring, t0)));
    // Once the old key is removed, its tokens are refused.
    EXPECT_EQ(defect_of(verify(old_token, {key_2027}, t0)), token_defect::unknown_key);
}

TEST(AccessToken, MalformedTokensAreRefused) {
    const std::string good = sign_access_token(claims_at(t0), key_2026);
    // "e30" is {}: a header without "alg".
    const std::string no_alg = "e30." + good.substr(good.find('.') + 1);
    for (const char* text : {"not-a-jwt", "a.b", "a.b.c.d", "..", "!!.!!.!!"}) {
        EXPECT_EQ(defect_of(verify(text, {key_2026}, t0)), token_defect::malformed) << text;
    }
    EXPECT_EQ(defect_of(verify(no_alg, {key_2026}, t0)), token_defect::malformed);
    std::string huge(5000, 'a');
    huge += ".b.c";
    EXPECT_EQ(defect_of(verify(huge, {key_2026}, t0)), token_defect::malformed);
}

TEST(AccessToken, AlgNoneIsRefusedEvenWithoutASignature) {
    const std::string good = sign_access_token(claims_at(t0), key_2026);
    const std::string payload =
        good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
    const std::string none =
        base64url_encode(R"({"alg":"none","typ":"JWT","kid":"2026-12"})") + "." + payload + ".";
    EXPECT_EQ(defect_of(verify(none, {key_2026}, t0)), token_defect::malformed);
}

TEST(AccessToken, ValidSignatureOverMissingClaimsIsMalformed) {
    // Correctly signed (HMAC computed here with OpenSSL), but without "tenant" and "jti".
    const std::string input = base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"2026-12"})") +
                              "." + base64url_encode(R"({"sub":"x","iat":1,"exp":9999999999})");
    unsigned char mac[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key_2026.secret.data(), static_cast<int>(key_2026.secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    const std::string token =
        input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), length));
    EXPECT_EQ(defect_of(verify(token, {key_2026}, t0)), token_defect::malformed);
}

TEST(Base64Url, RoundTripsWithoutPadding) {
    for (const std::string raw : {"", "f", "fo", "foo", "foob", "\xfb\xff\xfe"}) {
        const std::string text = base64url_encode(raw);
        EXPECT_EQ(text.find('='), std::string::npos);
        EXPECT_EQ(base64url_decode(text), raw) << text;
    }
    EXPECT_EQ(base64url_encode("\xfb\xff\xfe"), "-__-");
    EXPECT_FALSE(base64url_decode("+/=="));
    EXPECT_FALSE(base64url_decode("a"));
    EXPECT_FALSE(base64url_decode("ab c"));
}

TEST(RandomSecret, Is256BitsOfUrlSafeBase64WithoutPadding) {
    const std::string secret = random_secret();
    EXPECT_EQ(secret.size(), 43u);  // ceil(32 * 8 / 6)
    for (char c : secret) {
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
    }
    const auto raw = base64url_decode(secret);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 32u);
}

TEST(RandomSecret, NeverRepeats) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(seen.insert(random_secret()).second);
    }
}

TEST(RandomSecret, OtherLengthsHaveThatManyBytes) {
    EXPECT_EQ(base64url_decode(random_secret(16))->size(), 16u);
    EXPECT_EQ(random_secret(9).size(), 12u);
}

}  // namespace
}  // namespace scimldap::auth
