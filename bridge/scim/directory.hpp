// The SCIM layer's view of the directory for one request: LDAP operations that count themselves
// for the access log and come back as SCIM errors, plus the lookups every resource needs.
#pragma once

#include "base/scim_error.hpp"
#include "bridge/ldap/operations.hpp"
#include "bridge/scim/audit_trail.hpp"
#include "bridge/scim/request_context.hpp"
#include "bridge/scim/tenant_view.hpp"
#include "mapping/profile.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// An entry found by id, with the references it holds already resolved to ids.
struct found_entry {
    ldap::entry entry;
    std::map<std::string, mapping::resolved_reference> references;  // by normalised DN
    mapping::reference_resolver resolver() const;
};

/// Tenant-restricted LDAP access for one request.
class directory {
public:
    static inline const std::vector<ldap::control> no_controls{};

    /// Writes are recorded in `audit` (when not null) for the audit log.
    directory(ldap::operations& backend, const tenant_view& tenant, std::size_t& ops_counter,
              audit_trail* audit = nullptr)
        : backend_(backend), tenant_(tenant), ops_(ops_counter), audit_(audit) {}
    /// For a request's handler: its operations, writes and audit are counted in ctx.
    directory(ldap::operations& backend, request_context& ctx)
        : backend_(backend),
          tenant_(ctx.tenant),
          ops_(ctx.ldap_ops),
          writes_(&ctx.ldap_writes),
          created_(&ctx.created),
          audit_(ctx.audit) {}

    const tenant_view& tenant() const { return tenant_; }
    /// This request created the entry of `resource` with this id: the provider that confirms
    /// its writes must hold it too (ldap.confirm_writes).
    void note_created(const mapping::resource_profile& resource, std::string_view id) {
        if (created_ != nullptr) {
            *created_ = by_id(resource, id);
        }
    }
    ldap::operations& backend() { return backend_; }
    /// Searches from now on may be answered by a read-only replica (ldap.read_uris): for
    /// requests that write nothing and need not see this bridge's recent writes.
    void allow_replica_reads(bool allowed) { replica_reads_ = allowed; }
    bool replica_reads() const { return replica_reads_; }
    audit_trail* audit() const { return audit_; }
    /// Whether the server offered this control at connect.
    bool offers_control(std::string_view oid) const { return backend_.features().has_control(oid); }
    /// The base DN of a resource type in this tenant.
    const ldap::dn& base_of(const mapping::resource_profile& resource) const;

    /// The entry of `resource` with this id under the tenant's base, with `attributes` and its
    /// DN-valued attributes in `references` resolved (dereference control when the server offers
    /// it). nullopt when there is none (also for a malformed id: ids are opaque to clients).
    boost::asio::awaitable<result<std::optional<found_entry>>> find_by_id(
        const mapping::resource_profile& resource, std::string_view id,
        std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references, std::string_view what);

    /// The entry of `resource` with this id and `attributes` as read, nothing resolved;
    /// `controls` go with the search (matched values).
    boost::asio::awaitable<result<std::optional<ldap::entry>>> read_by_id(
        const mapping::resource_profile& resource, std::string_view id,
        std::vector<std::string> attributes, std::vector<ldap::control> controls,
        std::string_view what);

    /// The entries of `resource` with these ids (any order; unknown ids are simply absent), each
    /// with its references resolved like find_by_id.
    boost::asio::awaitable<result<std::vector<found_entry>>> find_by_ids(
        const mapping::resource_profile& resource, const std::vector<std::string>& ids,
        std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references, std::string_view what);

    /// How many member values the group with this id has, its placeholder included (nullopt
    /// when there is no such group). The values are counted as they are decoded, never copied.
    boost::asio::awaitable<result<std::optional<std::size_t>>> count_member_values(
        const mapping::resource_profile& resource, std::string_view id, std::string_view what);
    /// Whether the group with this id holds the placeholder member (the server matches the DN).
    boost::asio::awaitable<result<bool>> holds_placeholder(
        const mapping::resource_profile& resource, std::string_view id, std::string_view what);

    /// Resolves references found in an entry: User.groups from the group names the process
    /// keeps for a second (group_names), the others from the deref response or by reading each.
    boost::asio::awaitable<result<std::map<std::string, mapping::resolved_reference>>> resolve_dns(
        const ldap::entry& entry, const std::vector<const mapping::attribute_mapping*>& references);

    /// The DN of each id of the given resource types in this tenant; an unknown id → 400
    /// invalidValue naming `attribute` and the id, so nothing is written.
    boost::asio::awaitable<result<std::vector<ldap::dn>>> dns_of_ids(
        const std::vector<std::string>& ids, const std::vector<std::string>& types,
        std::string_view attribute);

    /// The id of an entry just added, read back by DN (the directory assigns entryUUID).
    boost::asio::awaitable<result<std::string>> id_of_new_entry(
        const mapping::resource_profile& resource, const ldap::dn& name);

    /// Adds to each reference attribute of `desired` (manager) the DNs of the ids the body
    /// names; an unknown id is 400 invalidValue (dns_of_ids).
    boost::asio::awaitable<result<void>> resolve_reference_ids(mapping::desired_entry& desired);

    /// Every entry a search matches, walked with the paged results control on one pinned
    /// connection (slapd keeps the cookie per connection), so no size limit truncates it. Each
    /// page goes to `consume` and is dropped: the walk holds one page, never the whole result.
    boost::asio::awaitable<result<void>> search_pages(
        ldap::search_request request, int page_size, std::string_view what,
        const std::function<void(std::vector<ldap::entry>&)>& consume);

    // Plain operations, counted and mapped to SCIM errors with `what` naming the subject.
    // Controls are taken by reference, defaulting to a static empty list: g++ 12 mishandles
    // temporaries (also `{}` arguments) inside co_await expressions, so callers pass named
    // objects or nothing.
    boost::asio::awaitable<result<ldap::search_result>> search(ldap::search_request request,
                                                               std::string_view what);
    boost::asio::awaitable<result<ldap::write_result>> add(
        ldap::dn name, std::vector<ldap::attribute> attributes, std::string_view what,
        const std::vector<ldap::control>& controls = no_controls);
    boost::asio::awaitable<result<ldap::write_result>> modify(
        ldap::dn name, std::vector<ldap::modification> changes, std::string_view what,
        const std::vector<ldap::control>& controls = no_controls);
    boost::asio::awaitable<result<ldap::write_result>> rename(
        ldap::dn name, std::string new_rdn, std::optional<ldap::dn> new_superior,
        std::string_view what, const std::vector<ldap::control>& controls = no_controls);
    boost::asio::awaitable<result<ldap::write_result>> remove(ldap::dn name, std::string_view what);
    /// RFC 3062 Password Modify of the entry `name` of `resource` (the server hashes it).
    boost::asio::awaitable<result<void>> set_password(const mapping::resource_profile& resource,
                                                      const ldap::dn& name,
                                                      const std::string& password);

private:
    /// The search for the entry of `resource` with this id (and matching `also`, if given).
    ldap::search_request by_id(const mapping::resource_profile& resource, std::string_view id,
                               const std::optional<ldap::filter>& also = std::nullopt) const;
    std::optional<ldap::control> deref_control(
        const mapping::resource_profile& resource,
        const std::vector<const mapping::attribute_mapping*>& references) const;
    static const mapping::attribute_mapping* mapping_named(
        const std::vector<const mapping::attribute_mapping*>& references,
        std::string_view attribute);
    /// Adds the reference `name` read with `attributes` to `out` when `m` may name it here.
    void accept_reference(std::map<std::string, mapping::resolved_reference>& out,
                          const mapping::attribute_mapping& m, const ldap::dn& name,
                          const std::vector<ldap::attribute>& attributes) const;
    /// Resolves one DN of `m` into `out`: from group_names for User.groups, else by reading it.
    boost::asio::awaitable<result<void>> resolve_one(
        std::map<std::string, mapping::resolved_reference>& out,
        const mapping::attribute_mapping& m, const ldap::dn& name);
    result<ldap::search_result> map(ldap::result<ldap::search_result>&& r,
                                    std::string_view operation, std::string_view what);
    result<ldap::write_result> map(ldap::result<ldap::write_result>&& r, std::string_view operation,
                                   std::string_view what);

    /// One more write (and operation) for this request.
    void count_write();
    /// Records a write about to be sent; `record` is called only when auditing.
    template <class Record>
    std::optional<std::size_t> audit_begin(Record record) const;
    void audit_end(std::optional<std::size_t> index, int ldap_code) const;

    ldap::operations& backend_;
    const tenant_view& tenant_;
    std::size_t& ops_;
    std::size_t* writes_ = nullptr;  // null: the caller does not count them
    std::optional<ldap::search_request>* created_ = nullptr;
    audit_trail* audit_;
    bool replica_reads_ = false;
};

}  // namespace scimldap::scim
