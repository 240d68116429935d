// The narrow directory interface the SCIM handlers receive: the LDAP operations they await and
// what the server offered at connect. The libldap client implements it; tests use an in-memory
// directory (tests/support/fake_directory.hpp) to exercise the handlers' logic without slapd.
#pragma once

#include "base/ldap_types.hpp"
#include "bridge/ldap/ldap_error.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap {

/// What the server's root DSE offers (read once per connection after bind).
struct server_features {
    std::vector<std::string> supported_controls;
    std::vector<std::string> supported_extensions;
    std::vector<std::string> naming_contexts;  // the databases' suffixes (namingContexts)
    bool has_control(std::string_view oid) const;
    bool has_extension(std::string_view oid) const;
};

/// LDAP operations on one directory; every outcome is a value carrying the result code.
class operations {
public:
    virtual ~operations() = default;

    virtual boost::asio::awaitable<result<search_result>> search(search_request request) = 0;
    virtual boost::asio::awaitable<result<write_result>> add(
        dn name, std::vector<attribute> attributes, std::vector<control> controls = {}) = 0;
    virtual boost::asio::awaitable<result<write_result>> modify(
        dn name, std::vector<modification> changes, std::vector<control> controls = {}) = 0;
    virtual boost::asio::awaitable<result<write_result>> rename(
        dn name, std::string new_rdn, std::optional<dn> new_superior, bool delete_old_rdn,
        std::vector<control> controls = {}) = 0;
    virtual boost::asio::awaitable<result<write_result>> remove(
        dn name, std::vector<control> controls = {}) = 0;
    virtual boost::asio::awaitable<result<extended_result>> extended(
        std::string oid, std::optional<std::string> value, std::vector<control> controls = {}) = 0;

    /// Operations that must share one connection (paged walks: slapd keeps the cookie per
    /// connection). The session ends when the pointer goes.
    virtual boost::asio::awaitable<result<std::unique_ptr<operations>>> session() = 0;
    /// Root DSE of the server (empty before the first connection).
    virtual server_features features() const = 0;
};

}  // namespace scimldap::ldap
