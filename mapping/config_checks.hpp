// Rules across config sections: unique tenant names and token hashes, tokens naming known
// tenants, tenant bases that never overlap, archive bases where profiles archive, further
// resource types that agree across profiles, OAuth clients and signing keys.
#pragma once

#include "mapping/config.hpp"
#include "mapping/json_reader.hpp"

namespace scimldap::mapping {

/// Adds an error for each rule broken. Paths use the tenants/tokens array indexes.
void check_tenants_and_tokens(const config& c, error_list& errors);

/// OAuth: clients naming known tenants, unique client ids and names, a signing key when there
/// are clients, unique key ids. (Key files are read and checked by bridge/cli.)
void check_oauth(const config& c, error_list& errors);

/// After profiles are loaded: a tenant whose profile archives needs archive_base.
void check_tenant_profiles(const config& c, error_list& errors);

/// After profiles are loaded: a further resource type's endpoint names one type (same name,
/// members or not) and a type's name one endpoint, in every profile, since all tenants share
/// one route table and a route finds the tenant's type by its name.
void check_resource_types(const config& c, error_list& errors);

}  // namespace scimldap::mapping
