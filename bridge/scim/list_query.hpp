// GET on a resource collection (RFC 7644 §3.4.2): filter, sort, page, project, ListResponse.
#pragma once

#include "bridge/scim/directory.hpp"
#include "bridge/scim/endpoint_settings.hpp"
#include "bridge/scim/http_message.hpp"
#include "bridge/scim/request_context.hpp"
#include "mapping/profile.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace scimldap::scim {

/// Answers a list/query request for `resource` in the tenant of `dir`: the filter is pushed
/// down to LDAP; the walk reads only ids and sort keys (paged, so no size limit truncates it),
/// then the page's entries.
boost::asio::awaitable<http_response> list_resources(directory& dir, request_context& ctx,
                                                     const mapping::resource_profile& resource,
                                                     const std::string& base_url,
                                                     paging_limits limits = {});

}  // namespace scimldap::scim
