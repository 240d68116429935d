#include "bridge/scim/error_response.hpp"

#include "base/utf8.hpp"
#include "bridge/scim/json_response.hpp"

#include <boost/json/serialize.hpp>

#include <string_view>

namespace scimldap::scim {

namespace {

// RFC 7231 §7.1.3: a 503 tells the client when to come back; one second unless the error says.
constexpr int default_retry_after_seconds = 1;

}  // namespace

std::string error_body(const error& e) {
    const wire_error wire = to_wire(e.code);
    boost::json::object body;
    body["schemas"] = boost::json::array{error_schema};
    // RFC 7644 §3.12: "status" is the HTTP status code as a string.
    body["status"] = std::to_string(wire.status);
    if (!wire.scim_type.empty()) {
        body["scimType"] = wire.scim_type;
    }
    // Details quote what the client sent (a header, an id, a filter), which may hold any bytes.
    body["detail"] = ldap::well_formed_utf8(e.detail);
    return boost::json::serialize(body);
}

http_response error_response(const error& e) {
    const wire_error wire = to_wire(e.code);
    http_response res = json_response(wire.status, error_body(e));
    if (e.code == errc::unavailable || e.code == errc::too_many_requests) {
        res.set(boost::beast::http::field::retry_after,
                std::to_string(e.retry_after_seconds.value_or(default_retry_after_seconds)));
    }
    return res;
}

}  // namespace scimldap::scim
