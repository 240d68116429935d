#include "bridge/auth/basic_credentials.hpp"

#include "bridge/auth/authorization_header.hpp"
#include "bridge/auth/form_body.hpp"
#include "mapping/base64.hpp"

#include <boost/beast/core/string.hpp>

namespace scimldap::auth {

namespace {

constexpr std::string_view basic_scheme = "Basic";

}  // namespace

bool is_basic_authorization(std::string_view header) {
    return header.size() >= basic_scheme.size() &&
           boost::beast::iequals(header.substr(0, basic_scheme.size()), basic_scheme) &&
           (header.size() == basic_scheme.size() || header[basic_scheme.size()] == ' ');
}

std::optional<client_credentials> parse_basic_credentials(std::string_view header) {
    const auto encoded = credentials_for(header, basic_scheme);
    if (!encoded) {
        return std::nullopt;
    }
    const auto decoded = mapping::base64_decode(*encoded);
    if (!decoded) {
        return std::nullopt;
    }
    // The id is form-encoded, so a ":" inside it arrives as %3A: the first ":" separates.
    const std::size_t colon = decoded->find(':');
    if (colon == std::string::npos) {
        return std::nullopt;
    }
    auto id = form_decode(std::string_view(*decoded).substr(0, colon));
    auto secret = form_decode(std::string_view(*decoded).substr(colon + 1));
    if (!id || !secret || id->empty()) {
        return std::nullopt;
    }
    return client_credentials{std::move(*id), std::move(*secret)};
}

}  // namespace scimldap::auth
