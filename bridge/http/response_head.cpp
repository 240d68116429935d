#include "bridge/http/response_head.hpp"

#include <boost/beast/http/status.hpp>

namespace scimldap::http {

std::string response_head(const scim::http_response& res) {
    namespace bhttp = boost::beast::http;
    std::string head;
    head.reserve(256);
    head += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(res.result_int());
    head += ' ';
    const auto reason = res.reason();
    head += reason.empty() ? bhttp::obsolete_reason(res.result()) : reason;
    head += "\r\n";
    for (const auto& field : res.base()) {
        head += field.name_string();
        head += ": ";
        head += field.value();
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace scimldap::http
