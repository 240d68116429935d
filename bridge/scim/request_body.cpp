#include "bridge/scim/request_body.hpp"

#include <boost/json/stream_parser.hpp>

namespace scimldap::scim {

result<boost::json::value> parse_json_body(const request_context& ctx) {
    const std::string& body = ctx.request.body();
    if (body.empty()) {
        return error{errc::invalid_syntax, "the request has no body; a JSON object is expected"};
    }
    boost::system::error_code ec;
    boost::json::stream_parser p;
    const std::size_t used = p.write(body.data(), body.size(), ec);
    if (!ec) {
        p.finish(ec);
    }
    if (ec) {
        return error{errc::invalid_syntax, "the body is not valid JSON (" + ec.message() +
                                               " near byte " + std::to_string(used) + ")"};
    }
    return p.release();
}

std::optional<std::string> if_match(const request_context& ctx) {
    const auto it = ctx.request.find(boost::beast::http::field::if_match);
    if (it == ctx.request.end()) {
        return std::nullopt;
    }
    std::string v(it->value());
    if (v == "*" || v.empty()) {
        return std::nullopt;
    }
    return v;
}

}  // namespace scimldap::scim
