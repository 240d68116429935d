// The process metrics Prometheus clients conventionally export (CPU, memory, descriptors, start
// time) and scimldap_build_info; registered once per process.
#pragma once

namespace scimldap::cli {

/// Adds the process collectors to the global registry the first time it is called.
void register_process_metrics();

}  // namespace scimldap::cli
