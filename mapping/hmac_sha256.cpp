#include "mapping/hmac_sha256.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace scimldap::mapping {

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
             &length) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 is not available from OpenSSL");
    }
    return std::string(reinterpret_cast<const char*>(mac.data()), length);
}

}  // namespace scimldap::mapping
