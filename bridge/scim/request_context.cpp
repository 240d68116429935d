#include "bridge/scim/request_context.hpp"

namespace scimldap::scim {

namespace {

/// Whether `raw` (an encoded query) has a parameter named `key`, looking only at the names.
/// Names are compared undecoded when they contain no '%' (the usual case); an encoded name
/// answers "maybe" and the caller decodes.
bool may_have_param(std::string_view raw, std::string_view key) {
    while (!raw.empty()) {
        const auto end = raw.find('&');
        const auto part = raw.substr(0, end);
        const auto name = part.substr(0, part.find('='));
        if (name == key || name.find('%') != std::string_view::npos) {
            return true;
        }
        raw = end == std::string_view::npos ? std::string_view{} : raw.substr(end + 1);
    }
    return false;
}

}  // namespace

std::optional<std::string> request_context::query_param(std::string_view key) const {
    // Most lookups are for parameters a request does not have (an IdP's lookup sends only
    // filter); decoding every parameter to find that out was most of the cost.
    if (!may_have_param(target.encoded_query(), key)) {
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
