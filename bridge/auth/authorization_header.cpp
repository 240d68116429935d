#include "bridge/auth/authorization_header.hpp"

#include <boost/beast/core/string.hpp>

namespace scimldap::auth {

std::optional<std::string_view> credentials_for(std::string_view header, std::string_view scheme) {
    if (header.size() <= scheme.size() ||
        !boost::beast::iequals(header.substr(0, scheme.size()), scheme) ||
        header[scheme.size()] != ' ') {
        return std::nullopt;
    }
    std::string_view credentials = header.substr(scheme.size());
    while (!credentials.empty() && credentials.front() == ' ') {
        credentials.remove_prefix(1);
    }
    while (!credentials.empty() && credentials.back() == ' ') {
        credentials.remove_suffix(1);
    }
    if (credentials.empty()) {
        return std::nullopt;
    }
    return credentials;
}

}  // namespace scimldap::auth
