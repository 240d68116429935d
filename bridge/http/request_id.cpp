#include "bridge/http/request_id.hpp"

#include <random>

namespace scimldap::http {

std::string make_request_id() {
    // Not a secret, only a correlation key: a per-thread PRNG avoids locking.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::uint64_t bits = generator();
    std::string id(16, '0');
    for (char& c : id) {
        c = hex[bits & 0x0f];
        bits >>= 4;
    }
    return id;
}

}  // namespace scimldap::http
