// Everything a SCIM handler gets for one request: the message, its parsed target and the tenant.
#pragma once

#include "base/ldap_types.hpp"
#include "bridge/scim/audit_trail.hpp"
#include "bridge/scim/http_message.hpp"
#include "bridge/scim/tenant_view.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/url_view.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::scim {

/// One routed request as a handler sees it. Views point into request, which outlives the handler.
struct request_context {
    const http_request& request;
    boost::urls::url_view target;  // the parsed origin-form request target
    /// Percent-decoded values of the route's {name} segments.
    std::map<std::string, std::string, std::less<>> path_params;
    /// The only tenant this request may touch (authorisation was applied before routing).
    const tenant_view& tenant;
    /// LDAP operations issued for this request (the access log reports it); handlers add to it.
    std::size_t ldap_ops = 0;
    /// Of those, the writes (add, modify, rename, delete, password): a request with none has
    /// nothing to wait for before it is answered (ldap.confirm_writes).
    std::size_t ldap_writes = 0;
    /// The search for the entry a create made: the provider that confirms the writes must
    /// hold it too (ldap.confirm_writes; a replication conflict otherwise).
    std::optional<ldap::search_request> created = std::nullopt;
    /// Where a write handler records what it changed for the audit log; null when not audited.
    audit_trail* audit = nullptr;

    /// Decoded query parameters, e.g. query().find("filter").
    boost::urls::params_view query() const { return target.params(); }
    /// The decoded value of the first query parameter named key (exact name match).
    std::optional<std::string> query_param(std::string_view key) const;
    /// The path parameter called name; empty when the route has none by that name.
    std::string_view path_param(std::string_view name) const;
};

}  // namespace scimldap::scim
