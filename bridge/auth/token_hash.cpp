#include "bridge/auth/token_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace scimldap::auth {

std::string hash_token(std::string_view token) {
    // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again on every digest,
    // and every request hashes its bearer token.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (sha256 == nullptr ||
        EVP_Digest(token.data(), token.size(), digest.data(), &length, sha256, nullptr) != 1) {
        throw std::runtime_error("SHA-256 is not available from OpenSSL");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0f];
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace scimldap::auth
