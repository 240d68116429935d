// The contract between a connection and the application: a parsed request in, a response out.
#pragma once

#include "bridge/scim/audit_trail.hpp"
#include "bridge/scim/http_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace scimldap::http {

class audit_log;

/// What the access log reports about one request besides method, target, status and time.
/// The session sets request_id; the application fills in the rest.
struct exchange_info {
    std::string request_id;
    std::string tenant = "-";
    std::string token_name = "-";
    std::size_t ldap_ops = 0;
    bool authenticated = false;  // a valid token (or client credentials) was presented
    /// The route that served it ("/Users/{id}", "/readyz"), for metrics; empty when none did.
    std::string endpoint{};
    /// What a write request changed; the session writes it to `audit_to` before the response.
    scim::audit_trail audit{};
    std::shared_ptr<const audit_log> audit_to{};
};

/// The application as a connection sees it: never touches the socket; may run as long as the
/// request timeout allows and is cancelled (terminal) when it runs out.
using request_handler = std::function<boost::asio::awaitable<scim::http_response>(
    const scim::http_request&, exchange_info&)>;

}  // namespace scimldap::http
