// The LDAP side of scim::directory for the http_request fuzz build only: the fake endpoints keep
// their entries in memory, but list_query.cpp (which they use for query parsing) also holds the
// list walk, which refers to these. Linking the real ones would pull in the whole LDAP client;
// these abort, so a call would be reported at once instead of passing unnoticed.
#include "bridge/scim/directory.hpp"
#include "bridge/scim/id_lookup.hpp"

#include <cstdlib>

namespace scimldap::scim {

namespace asio = boost::asio;

const ldap::dn& directory::base_of(const mapping::resource_profile&) const {
    std::abort();
}

asio::awaitable<result<std::vector<found_entry>>> directory::find_by_ids(
    const mapping::resource_profile&, const std::vector<std::string>&, std::vector<std::string>,
    const std::vector<const mapping::attribute_mapping*>&, std::string_view) {
    std::abort();
    co_return std::vector<found_entry>{};
}

asio::awaitable<result<std::map<std::string, mapping::resolved_reference>>> directory::resolve_dns(
    const ldap::entry&, const std::vector<const mapping::attribute_mapping*>&) {
    std::abort();
    co_return std::map<std::string, mapping::resolved_reference>{};
}

asio::awaitable<result<ldap::search_result>> directory::search(ldap::search_request,
                                                               std::string_view) {
    std::abort();
    co_return ldap::search_result{};
}

asio::awaitable<result<std::vector<ldap::entry>>> directory::search_all(ldap::search_request, int,
                                                                        std::string_view) {
    std::abort();
    co_return std::vector<ldap::entry>{};
}

mapping::reference_resolver found_entry::resolver() const {
    std::abort();
}

asio::awaitable<result<std::map<std::string, ldap::dn>>> find_dns_by_id(
    directory&, const std::vector<std::string>&, const std::vector<std::string>&) {
    std::abort();
    co_return std::map<std::string, ldap::dn>{};
}

}  // namespace scimldap::scim
