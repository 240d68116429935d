#include "bridge/scim/request_context.hpp"

namespace scimldap::scim {

std::optional<std::string> request_context::query_param(std::string_view key) const {
    // Most lookups are for parameters a request does not have (an IdP's lookup sends only
    // filter): without a '%' in the query the key can only appear literally.
    const auto raw = target.encoded_query();
    if (raw.find('%') == std::string_view::npos && raw.find(key) == std::string_view::npos) {
        return std::nullopt;
    }
    const boost::urls::params_view params = query();
    const auto it = params.find(key);
    if (it == params.end()) {
        return std::nullopt;
    }
    return std::string((*it).value);
}

std::string_view request_context::path_param(std::string_view name) const {
    const auto it = path_params.find(name);
    return it == path_params.end() ? std::string_view{} : std::string_view{it->second};
}

}  // namespace scimldap::scim
