// Settings the resource endpoints share: page sizes and the scheme of absolute locations.
#pragma once

#include <string>

namespace scimldap::scim {

/// Page sizes: the default when the client sends no count and the most one page returns.
struct paging_limits {
    int default_count = 100;
    int max_count = 1000;
};

struct endpoint_settings {
    /// Scheme of meta.location without X-Forwarded-Proto: "https" behind a TLS listener.
    std::string default_scheme = "http";
    paging_limits paging;
};

}  // namespace scimldap::scim
