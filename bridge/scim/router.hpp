// Maps (method, path under the SCIM base path) to a handler; answers 404/405/415 itself.
#pragma once

#include "bridge/scim/http_message.hpp"
#include "bridge/scim/request_context.hpp"
#include "bridge/scim/tenant_view.hpp"

#include "bridge/ldap/write_confirmer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// A SCIM endpoint: turns one routed request into a response; never touches a socket.
using handler = std::function<boost::asio::awaitable<http_response>(request_context&)>;

/// What dispatch reports besides the response.
struct dispatch_report {
    std::size_t ldap_ops = 0;     // LDAP operations the handler issued
    std::size_t ldap_writes = 0;  // of them, writes
    /// Set by the caller: a bulk operation's writes are confirmed once, with the bulk request's.
    bool confirm_writes = true;
    std::string route;  // the pattern that matched ("/Users/{id}"); empty when none did
    /// Given by the caller: where write handlers record their changes (null: no audit). It
    /// lives outside the handler's frame, so a request cancelled mid-write still has its record.
    audit_trail* audit = nullptr;
};

/// The route table: register handlers once at start-up, then dispatch concurrently (read-only).
class router {
public:
    /// base_path like "/scim/v2"; every route is relative to it.
    explicit router(std::string base_path);

    /// Registers method + pattern (e.g. "/Users/{id}"; literal segments match case-insensitively,
    /// {name} segments capture one non-empty segment; a trailing "/" in a request is ignored).
    /// Throws std::invalid_argument for a malformed pattern or a duplicate (method, pattern).
    void add(boost::beast::http::verb method, std::string_view pattern, handler h);

    /// True when target's path is the base path or below it.
    bool owns(std::string_view target) const;

    /// Routes req for tenant: the handler's response, or a SCIM error for an unknown route (404),
    /// a known route with another method (405 + Allow) or an unsupported body type (415; a body
    /// without Content-Type is read as JSON).
    /// `report` receives the handler's LDAP operation count and the route.
    boost::asio::awaitable<http_response> dispatch(const http_request& req,
                                                   const tenant_view& tenant,
                                                   dispatch_report& report) const;

    const std::string& base_path() const { return base_path_; }

    /// Awaited after a successful request that wrote to LDAP, before it is answered (the
    /// client's confirm_writes); a request whose writes may be lost with a failed server is
    /// answered 503 instead. Set at start-up, before dispatching.
    using write_confirmation = std::function<boost::asio::awaitable<ldap::replication>(
        std::optional<ldap::search_request> created)>;
    void confirm_writes_with(write_confirmation confirm) { confirm_writes_ = std::move(confirm); }

private:
    struct segment {
        std::string text;
        bool is_param;
    };
    struct route {
        boost::beast::http::verb method;
        std::string pattern;
        std::vector<segment> segments;
        handler fn;
    };

    std::string base_path_;
    std::vector<std::string> base_segments_;
    std::vector<route> routes_;
    write_confirmation confirm_writes_;
};

/// RFC 7644 §3.8: SCIM bodies are application/scim+json; plain application/json is accepted too.
bool is_acceptable_body_type(std::string_view content_type);

}  // namespace scimldap::scim
