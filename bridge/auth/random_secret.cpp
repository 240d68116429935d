#include "bridge/auth/random_secret.hpp"

#include "mapping/base64url.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace scimldap::auth {

std::string random_secret(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) !=
        1) {
        throw std::runtime_error("OpenSSL could not produce random bytes (RAND_bytes failed)");
    }
    return mapping::base64url_encode(raw);
}

}  // namespace scimldap::auth
