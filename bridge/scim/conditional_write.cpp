#include "bridge/scim/conditional_write.hpp"

#include "bridge/ldap/controls.hpp"
#include "bridge/ldap/escape.hpp"
#include "bridge/scim/json_response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/value.hpp>

namespace scimldap::scim {

std::string_view etag_value(std::string_view tag) {
    if (tag.starts_with("W/") || tag.starts_with("w/")) {
        tag.remove_prefix(2);
    }
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
        tag = tag.substr(1, tag.size() - 2);
    }
    return tag;
}

ldap::control assert_version(const std::string& csn) {
    return *ldap::controls::assertion(
        ldap::filter("(entryCSN=" + ldap::filter_escape_value(csn) + ")"));
}

http_response resource_response(unsigned status, const boost::json::object& body,
                                const std::optional<std::string>& etag) {
    http_response res = json_response(status, boost::json::value(body));
    if (etag) {
        res.set(boost::beast::http::field::etag, *etag);
    }
    if (status == 201) {
        if (const auto* meta = body.if_contains("meta"); meta && meta->is_object()) {
            if (const auto* loc = meta->get_object().if_contains("location");
                loc && loc->is_string()) {
                res.set(boost::beast::http::field::location, std::string(loc->get_string()));
            }
        }
    }
    return res;
}

}  // namespace scimldap::scim
