// When this process last wrote in each tenant, so its reads of a tenant stay on the write target
// for a while after (read-your-writes while replicas answer the other reads).
#pragma once

#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/tenant_view.hpp"

#include <chrono>

namespace scimldap::scim::recent_writes {

/// A write request of this tenant is about to reach the directory.
void note(const tenant_view& tenant);

/// Whether this process wrote in the tenant within the last `window`.
bool within(const tenant_view& tenant, std::chrono::milliseconds window);

/// Whether a read-only request of the tenant may be answered by a replica: there are replicas
/// and this process wrote nothing in the tenant within settings.read_your_writes.
bool replica_reads(const endpoint_settings& settings, const tenant_view& tenant);

}  // namespace scimldap::scim::recent_writes
