// The request pipeline behind every connection: probes, the OAuth token endpoint, then bearer
// auth, then the SCIM router.
#pragma once

#include "bridge/http/exchange.hpp"
#include "bridge/http/pipeline.hpp"

namespace scimldap::http {

/// Applies authorisation once, so a handler only ever sees its tenant's view.
class application {
public:
    /// Each request is served by the pipeline in `current` when it starts (a reload swaps it).
    /// `current` must outlive the application.
    explicit application(const pipeline_slot& current);

    boost::asio::awaitable<scim::http_response> operator()(const scim::http_request& req,
                                                           exchange_info& info) const;

    /// This application as the session's callback.
    request_handler handler() const;

private:
    const pipeline_slot& current_;
};

}  // namespace scimldap::http
