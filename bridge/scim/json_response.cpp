#include "bridge/scim/json_response.hpp"

#include <boost/json/serialize.hpp>

namespace scimldap::scim {

http_response json_response(unsigned status, std::string body) {
    http_response res{static_cast<boost::beast::http::status>(status), 11};
    res.set(boost::beast::http::field::content_type, scim_content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http_response json_response(unsigned status, const boost::json::value& body) {
    return json_response(status, boost::json::serialize(body));
}

}  // namespace scimldap::scim
