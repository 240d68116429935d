#include "bridge/cli/live_subschema.hpp"

#include <ldap.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

namespace scimldap::cli {

namespace asio = boost::asio;

namespace {

// RFC 4512 §4.2: servers that publish no subschemaSubentry (rare) mostly still use this name.
constexpr const char* fallback_subschema_dn = "cn=Subschema";

ldap::search_request base_read(std::string name, std::vector<std::string> attributes,
                               std::string filter = "(objectClass=*)") {
    ldap::search_request r;
    r.base = ldap::dn(std::move(name));
    r.scope = ldap::scope::base;
    r.filter = ldap::filter(std::move(filter));
    r.attributes = std::move(attributes);
    return r;
}

std::vector<std::string> values_of(const ldap::search_result& r, std::string_view attribute) {
    if (r.entries.empty()) {
        return {};
    }
    const auto* values = r.entries.front().find(attribute);
    return values == nullptr ? std::vector<std::string>{} : *values;
}

}  // namespace

asio::awaitable<ldap::result<mapping::subschema>> read_subschema(ldap::client& client) {
    // Requests are named before co_await: g++ 12 destroys temporaries in co_await twice.
    ldap::search_request root_dse = base_read("", {"subschemaSubentry"});
    auto root = co_await client.search(std::move(root_dse));
    if (!root) {
        co_return root.error();
    }
    std::string subschema_dn = fallback_subschema_dn;
    if (const auto named = values_of(*root, "subschemaSubentry"); !named.empty()) {
        subschema_dn = named.front();
    }
    // attributeTypes and objectClasses are operational: they come only when named.
    ldap::search_request schema_read =
        base_read(subschema_dn, {"attributeTypes", "objectClasses"}, "(objectClass=subschema)");
    auto schema = co_await client.search(std::move(schema_read));
    if (!schema) {
        co_return schema.error();
    }
    if (schema->entries.empty()) {
        co_return ldap::op_error{ldap::make_error(LDAP_NO_SUCH_OBJECT),
                                 "the subschema entry " + subschema_dn + " could not be read",
                                 {}};
    }
    mapping::subschema out;
    out.attribute_types = values_of(*schema, "attributeTypes");
    out.object_classes = values_of(*schema, "objectClasses");
    co_return out;
}

namespace {

asio::awaitable<void> read_then_stop(asio::io_context& io, ldap::client& client,
                                     std::optional<live_reading>& answer) {
    auto schema = co_await read_subschema(client);
    answer.emplace(live_reading{std::move(schema), client.tls_peer(), client.last_failure()});
    client.stop();
    // Let the client's clean-up handlers run, then leave io.run() even if a reconnect timer is
    // still pending.
    co_await asio::post(asio::use_awaitable);
    io.stop();
}

}  // namespace

live_reading fetch_subschema(const ldap::client_options& options) {
    asio::io_context io;
    ldap::client_options one = options;
    one.pool_size = 1;  // one answer is all the CLI needs
    ldap::client client(io.get_executor(), one);
    std::optional<live_reading> answer;
    client.start();
    asio::co_spawn(io, read_then_stop(io, client, answer), asio::detached);
    io.run();
    if (!answer) {
        return {
            ldap::op_error{ldap::make_error(LDAP_OTHER), "the subschema read did not finish", {}},
            std::nullopt, client.last_failure()};
    }
    return std::move(*answer);
}

}  // namespace scimldap::cli
