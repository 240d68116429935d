// An in-memory directory behind ldap::operations, for unit tests of the SCIM handlers' logic
// (retries, placeholder, If-Match, uniqueness races, undo) without slapd. It keeps what those
// paths depend on: entryUUID and entryCSN, the assertion and post-read controls, groupOfNames'
// required member, memberOf and referential integrity, Password Modify clearing the ppolicy
// lock. It offers no other control, so the handlers take their fallbacks (no deref, no matched
// values). The slapd integration tests remain the proof against the real server.
#pragma once

#include "bridge/ldap/operations.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {

/// Which operation a failure rule or the log names.
enum class fake_op { search, add, modify, rename, remove, extended };

/// An in-memory LDAP tree. Not thread-safe: unit tests run it on one io_context.
class fake_directory final : public ldap::operations {
public:
    /// The suffix and the containers under it must be put() before use.
    fake_directory() = default;

    // --- the interface ---------------------------------------------------------------------
    boost::asio::awaitable<ldap::result<ldap::search_result>> search(
        ldap::search_request request) override;
    boost::asio::awaitable<ldap::result<ldap::write_result>> add(
        ldap::dn name, std::vector<ldap::attribute> attributes,
        std::vector<ldap::control> controls = {}) override;
    boost::asio::awaitable<ldap::result<ldap::write_result>> modify(
        ldap::dn name, std::vector<ldap::modification> changes,
        std::vector<ldap::control> controls = {}) override;
    boost::asio::awaitable<ldap::result<ldap::write_result>> rename(
        ldap::dn name, std::string new_rdn, std::optional<ldap::dn> new_superior,
        bool delete_old_rdn, std::vector<ldap::control> controls = {}) override;
    boost::asio::awaitable<ldap::result<ldap::write_result>> remove(
        ldap::dn name, std::vector<ldap::control> controls = {}) override;
    boost::asio::awaitable<ldap::result<ldap::extended_result>> extended(
        std::string oid, std::optional<std::string> value,
        std::vector<ldap::control> controls = {}) override;
    boost::asio::awaitable<ldap::result<std::unique_ptr<ldap::operations>>> session() override;
    ldap::server_features features() const override { return {}; }

    // --- for the test body -----------------------------------------------------------------
    /// Stores an entry as given plus entryUUID/entryCSN; no schema check. Returns its entryUUID.
    std::string put(ldap::dn name, std::vector<ldap::attribute> attributes);
    /// The entry with this DN, if any (operational attributes included).
    std::optional<ldap::entry> get(const ldap::dn& name) const;
    /// Every entry directly or indirectly below `base`.
    std::vector<ldap::entry> below(const ldap::dn& base) const;
    /// Applies a modify synchronously, as another client would (new entryCSN).
    ldap::result<ldap::write_result> modify_now(const ldap::dn& name,
                                                std::vector<ldap::modification> changes);

    /// The next `times` operations of this kind (from the `skip`-th on) fail with `code`.
    void fail(fake_op op, ldap::rc code, int times = 1, int skip = 0);
    /// Called before each operation runs (after a failure rule let it through).
    std::function<void(fake_op, const ldap::dn&)> before;
    /// The operations run so far, in order.
    const std::vector<fake_op>& log() const { return log_; }
    std::size_t count(fake_op op) const;

private:
    struct stored {
        ldap::dn name;
        std::vector<ldap::attribute> attributes;
    };
    struct failure_rule {
        fake_op op;
        ldap::rc code;
        int times;
        int skip;
    };

    std::optional<ldap::op_error> enter(fake_op op, const ldap::dn& target);
    /// The entry a write names, once the failure rules and its assertion let the write go on.
    ldap::result<stored*> writable(fake_op op, const ldap::dn& name,
                                   const std::vector<ldap::control>& controls);
    stored* find(const ldap::dn& name);
    const stored* find(const ldap::dn& name) const;
    bool has_children(const ldap::dn& name) const;
    std::optional<ldap::op_error> check_assertion(const stored& target,
                                                  const std::vector<ldap::control>& controls) const;
    ldap::write_result answer(const stored& target,
                              const std::vector<ldap::control>& controls) const;
    void touch(stored& e);
    std::optional<ldap::op_error> apply(stored& e, const std::vector<ldap::modification>& changes);
    std::optional<ldap::op_error> check_schema(const stored& e) const;
    void sync_member_of(const std::vector<std::string>& before, const stored& group);
    void replace_references(const ldap::dn& from, const std::optional<ldap::dn>& to);

    std::map<std::string, stored> entries_;  // by normalised DN
    std::vector<failure_rule> failures_;
    std::vector<fake_op> log_;
    std::uint64_t next_uuid_ = 1;
    std::uint64_t next_csn_ = 1;
};

}  // namespace scimldap::testing
