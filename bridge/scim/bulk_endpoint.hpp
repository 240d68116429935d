// POST /Bulk (RFC 7644 §3.7): a BulkRequest's operations, each served by the same route and
// handler as the single request it stands for, with bulkId references resolved.
#pragma once

#include "bridge/scim/router.hpp"

#include <cstddef>
#include <string>

namespace scimldap::scim {

/// Limits of a bulk request, advertised in /ServiceProviderConfig.
struct bulk_limits {
    std::size_t max_operations = 1000;  // 0: Bulk is not offered (501)
    std::size_t max_payload_bytes = 1024 * 1024;
    /// Scheme of a result's location without X-Forwarded-Proto ("https" behind TLS).
    std::string default_scheme = "http";
};

/// Registers POST /Bulk on `routes`; each operation is dispatched through `routes` itself,
/// which must outlive the requests (it does: both live in the pipeline).
void register_bulk_route(router& routes, bulk_limits limits);

}  // namespace scimldap::scim
