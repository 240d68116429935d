#include "tests/support/route_call.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace scimldap::testing {

scim::http_response call_route(const scim::router& routes, const scim::http_request& request,
                               const scim::tenant_view& tenant, std::size_t* ldap_ops) {
    boost::asio::io_context io;
    scim::dispatch_report report;
    scim::http_response out;
    boost::asio::co_spawn(io, routes.dispatch(request, tenant, report),
                          [&](std::exception_ptr e, scim::http_response res) {
                              if (e) {
                                  std::rethrow_exception(e);
                              }
                              out = std::move(res);
                          });
    io.run();
    if (ldap_ops != nullptr) {
        *ldap_ops = report.ldap_ops;
    }
    return out;
}

}  // namespace scimldap::testing
