// What one write request did to the directory, for the audit log: the resource it addressed and
// every LDAP write it sent, with the attributes each changed and the result.
#pragma once

#include "base/ldap_types.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {
class profile;
}

namespace scimldap::scim {

/// One attribute of an LDAP write as the audit log shows it.
struct audited_change {
    std::string attribute;
    std::string action;               // "add", "replace" or "delete"
    std::vector<std::string> values;  // empty when withheld
    bool secret = false;              // values withheld: the profile holds secrets there
    bool base64 = false;              // values are base64: some were not UTF-8 (jpegPhoto)
    std::size_t values_left_out = 0;  // beyond max_audited_values
};

/// One LDAP write the request sent.
struct audited_operation {
    std::string op;  // "add", "modify", "rename", "delete", "passwordModify"
    ldap::dn name;
    std::optional<ldap::dn> new_name;  // rename: where the entry went
    std::vector<audited_change> changes;
    std::optional<int> ldap_code;  // nullopt: no answer (the request was cancelled meanwhile)
};

/// A group of 100,000 members replaced at once must not make one line of megabytes.
inline constexpr std::size_t max_audited_values = 1000;

/// What one operation of a bulk request was, beside its trail (its own audit line).
struct bulk_operation_info {
    std::string method;
    std::string endpoint;  // the route pattern, "/Users/{id}"
    unsigned status = 0;
    std::string bulk_id;
    std::size_t index = 0;  // its position in the request's Operations
};

/// Filled while a write request runs: opened by the resource handler, fed by the directory.
/// One per request; not shared between threads. A bulk request's operations are parts, each
/// a trail of its own.
class audit_trail {
public:
    /// Marks the request as a write of `resource_type`; `id` is empty for a create. Values of
    /// attributes `profile` holds secrets in are never recorded.
    void open(std::string resource_type, std::string id,
              std::shared_ptr<const mapping::profile> profile);
    bool is_open() const { return open_; }

    /// The entry with this id was read: when it is the request's resource, it is the subject.
    void found(const ldap::dn& name, std::string_view id);
    /// A create made the entry `name`, which got `id`.
    void created(const ldap::dn& name, std::string id);

    /// Records a write before it is sent; the index for finish().
    std::size_t add(const ldap::dn& name, const std::vector<ldap::attribute>& attributes);
    std::size_t modify(const ldap::dn& name, const std::vector<ldap::modification>& changes);
    std::size_t rename(const ldap::dn& name, std::string_view new_rdn,
                       const std::optional<ldap::dn>& new_superior);
    std::size_t remove(const ldap::dn& name);
    /// RFC 3062 Password Modify of `name`: the attribute is named, its value never.
    std::size_t password(const ldap::dn& name, std::string_view attribute);
    /// The server's answer to operation `index` (0: success).
    void finish(std::size_t index, int ldap_code);

    const std::string& resource_type() const { return resource_type_; }
    const std::string& id() const { return id_; }
    const std::optional<ldap::dn>& dn() const { return dn_; }
    const std::optional<ldap::dn>& new_dn() const { return new_dn_; }
    const std::vector<audited_operation>& operations() const { return operations_; }

    /// A bulk operation's trail joins its request's (each becomes an audit line of its own).
    void add_part(audit_trail part, bulk_operation_info info);
    const std::vector<audit_trail>& parts() const { return parts_; }
    /// Set on a part: the bulk operation it records.
    const std::optional<bulk_operation_info>& bulk_operation() const { return bulk_; }
    /// Whether the request gets audit lines: opened, or a bulk request with operations.
    bool has_lines() const { return open_ || !parts_.empty(); }

    /// The fields the audit line takes from the trail: resource_type, id, dn, new_dn,
    /// operations, and ldap_code/ldap_result (the first failed operation's, else the last's).
    void append_json(boost::json::object& line) const;

private:
    audited_change change(std::string attribute, std::string action,
                          const std::vector<std::string>& values) const;
    std::size_t push(audited_operation op);

    bool open_ = false;
    std::string resource_type_;
    std::string id_;
    // Shared: the line is written after the request has let go of its configuration.
    std::shared_ptr<const mapping::profile> profile_;
    std::optional<ldap::dn> dn_;
    std::optional<ldap::dn> new_dn_;
    std::vector<audited_operation> operations_;
    std::vector<audit_trail> parts_;
    std::optional<bulk_operation_info> bulk_;
};

}  // namespace scimldap::scim
