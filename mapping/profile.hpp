// A mapping profile: per SCIM resource type, which LDAP entries it is and how each SCIM
// attribute maps to an LDAP attribute, with the RFC 7643 characteristics that drive
// translation, validation and /Schemas (see docs/mapping.md).
#pragma once

#include "base/ldap_types.hpp"
#include "mapping/filter_ast.hpp"
#include "mapping/scim_schema_names.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace scimldap::mapping {

/// How a value is represented on both sides. reference: LDAP holds a DN, SCIM the referenced
/// resource's id. date_time: LDAP GeneralizedTime, SCIM xsd:dateTime.
enum class value_type { string, boolean, integer, decimal, date_time, reference, binary };
/// RFC 7643 §7 "mutability".
enum class mutability { read_write, write_only, read_only, immutable };
/// RFC 7643 §7 "returned" (`default` is a C++ keyword, hence by_default).
enum class returned { always, by_default, request, never };
/// RFC 7643 §7 "uniqueness".
enum class uniqueness { none, server, global };

/// What a mapping does beyond copying values; everything but plain comes from a strategy
/// section of the profile and is synthesised by the loader so lookups and /Schemas see it.
enum class behaviour { plain, id, meta, active, password, user_type, groups, members };

/// Which tenant base a resource type lives under.
enum class base_kind { users, groups, roles };

/// The base DN a resource type lives under: one of a tenant's three, as its profile's "base"
/// says (the server's reads and `explain` take it from here).
const ldap::dn& base_dn(base_kind kind, const ldap::dn& users, const ldap::dn& groups,
                        const ldap::dn& roles);

/// RFC 7643 spellings ("dateTime", "readWrite", "default", ...), and their parsers.
std::string_view to_string(value_type v);
std::string_view to_string(mutability v);
std::string_view to_string(returned v);
std::string_view to_string(uniqueness v);
std::string_view to_string(behaviour v);
std::string_view to_string(base_kind v);
std::optional<value_type> parse_value_type(std::string_view s);
std::optional<mutability> parse_mutability(std::string_view s);
std::optional<returned> parse_returned(std::string_view s);
std::optional<uniqueness> parse_uniqueness(std::string_view s);
std::optional<base_kind> parse_base_kind(std::string_view s);

/// `[type eq "work"]` in a mapping key: the element of a multi-valued attribute it addresses.
struct value_selector {
    std::string attribute;  // e.g. "type"
    std::string value;      // e.g. "work"
};

/// A mapping key, resolved: schema is always the full URN (core when the key had none).
struct scim_attribute_path {
    // Every member has an initializer so designated initializers name only what they set
    // (-Wmissing-field-initializers); likewise in attribute_mapping.
    std::string schema{};
    std::string name{};                        // top-level attribute, e.g. "emails", "manager"
    std::optional<value_selector> selector{};  // e.g. type eq "work"
    std::string sub_attribute{};               // e.g. "value", "givenName"; may be empty
    /// Canonical text: `emails[type eq "work"].value`; extension paths carry their URN.
    std::string to_string(std::string_view core_schema) const;
};

/// One SCIM attribute (or sub-attribute, or selected element) ⇄ one LDAP attribute.
struct attribute_mapping {
    scim_attribute_path scim{};
    std::string ldap{};  // attribute description; empty when computed (active via ppolicy)
    value_type type = value_type::string;
    bool multi_valued = false;  // several LDAP values become several SCIM values
    bool required = false;
    bool case_exact = false;
    bool primary = false;  // the selected element is marked "primary": true
    mutability mutability_ = mutability::read_write;
    returned returned_ = returned::by_default;
    uniqueness uniqueness_ = uniqueness::none;
    std::vector<std::string> canonical_values{};
    std::vector<std::string> reference_types{};  // for type reference: "User", "Group", "external"
    std::optional<std::string> pattern{};        // ECMAScript regex a written value must match
    std::string description{};
    behaviour kind = behaviour::plain;
    /// The audit log leaves this attribute's values out ("secret": true in the profile).
    bool secret = false;
    std::string json_path{};  // where the profile defines it, for later messages
    /// The RFC 7643 definition of the attribute mapped into (nullptr: a custom extension, or
    /// not indexed yet); resource_profile::build_index sets it so reads need no name lookup.
    const known_attribute* rfc = nullptr;
    /// Whether SCIM writes reach the LDAP attribute (readWrite, writeOnly, immutable on create).
    bool writable() const { return mutability_ != mutability::read_only; }
};

/// One piece of a template: literal text, or a placeholder naming a mapping of the resource.
struct template_part {
    std::string literal;
    const attribute_mapping* placeholder = nullptr;
};

/// One alternative such as "{name.givenName} {name.familyName}".
struct template_alternative {
    std::string text;
    std::vector<template_part> parts;
};

/// A value for an LDAP attribute the schema requires but SCIM may not send (cn, sn): the first
/// alternative whose placeholders all have a value wins.
struct ldap_template {
    std::string ldap;
    std::vector<template_alternative> alternatives;
    std::string json_path;
};

/// Renders a template; value_of returns a mapping's (first) SCIM value as text, or nullopt
/// when the resource has none. nullopt when no alternative resolves or all render empty.
std::optional<std::string> render(
    const ldap_template& t,
    const std::function<std::optional<std::string>(const attribute_mapping&)>& value_of);

/// active ⇄ LDAP. ppolicy_lock writes `inactive_value` into `ldap` (pwdAccountLockedTime) and
/// `end_value` into `end_ldap` (pwdEndTime) when active=false and deletes them when active=true.
/// attribute writes true_value/false_value.
struct active_settings {
    enum class strategy { ppolicy_lock, attribute };
    strategy how = strategy::ppolicy_lock;
    std::string ldap = "pwdAccountLockedTime";
    std::string inactive_value = "000001010000Z";  // ppolicy_lock
    /// ppolicy_lock: a second mark that ppolicy keeps when a password is set (it deletes
    /// pwdAccountLockedTime then, even within one modify), so an inactive account stays inactive
    /// across Password Modify until the lock is written again. Empty: none. The shipped profiles
    /// set pwdEndTime (OpenLDAP 2.5+); a profile that names none keeps working on older servers.
    std::string end_ldap;
    std::string end_value = "20000101000000Z";  // ppolicy_lock, a time long past
    std::string true_value = "TRUE";            // attribute
    std::string false_value = "FALSE";          // attribute
    bool absent_means_active = true;            // attribute: value when the entry has none
};

/// password → LDAP: password_modify uses the RFC 3062 extended operation so the server hashes
/// and applies its policy; attribute replaces the attribute with the cleartext.
struct password_settings {
    enum class strategy { password_modify, attribute };
    strategy how = strategy::password_modify;
    std::string ldap = "userPassword";
    /// Where a create's password goes. in_add: the add itself carries the cleartext in `ldap`,
    /// so user, password and lock state are one atomic operation; only for a server that hashes
    /// cleartext it is given (slapd: ppolicy_hash_cleartext). password_modify: an RFC 3062
    /// operation after the add (the default: safe on any server, but a second step).
    enum class on_create { in_add, password_modify };
    on_create create = on_create::password_modify;
};

/// A create that needs more than its add (role groups, Password Modify) marks the entry as
/// unfinished in the add and clears the mark in its last step, so an IdP's retry recognises the
/// bridge's own half-made entry and completes it (docs/users.md, "Create"). Entries holding the
/// mark are not SCIM resources: the loader adds `(!(attribute=*))` to the search filter.
struct pending_create_settings {
    std::string ldap = "scimCreatePending";
    std::string value = "TRUE";
};

/// userType: a fixed list of values kept in an LDAP attribute and, when role_groups, as
/// membership of groupOfNames `<role_rdn_attribute>=<value>` under the tenant's roles base.
struct user_type_settings {
    std::string ldap = "employeeType";
    std::vector<std::string> values;  // empty: any value
    bool case_exact = true;
    bool required = false;
    bool role_groups = false;
    std::string role_object_class = "groupOfNames";
    std::string role_rdn_attribute = "cn";
    std::string role_member_attribute = "member";
    std::vector<std::string> default_roles;  // role groups every new user joins
    /// The configured spelling of `v` (by case_exact), or nullptr when not allowed.
    const std::string* canonical(std::string_view v) const;
};

/// What DELETE does: remove the entry, or move it to the tenant's archive_base.
struct delete_settings {
    enum class mode { remove, archive };
    mode how = mode::remove;
};

/// User.groups (readOnly) from the member-of attribute.
struct groups_settings {
    std::string ldap = "memberOf";
};

/// Group.members: member DNs ⇄ member ids; the placeholder keeps groupOfNames valid when empty
/// and is never shown.
struct members_settings {
    std::string ldap = "member";
    ldap::dn placeholder_dn;
    std::vector<std::string> display_attributes = {"displayName", "cn"};
    std::vector<std::string> types = {"User", "Group"};
};

/// meta from operational attributes.
struct meta_settings {
    std::string created = "createTimestamp";
    std::string last_modified = "modifyTimestamp";
    std::string version = "entryCSN";
};

/// A schema extension the resource type accepts.
struct extension_schema {
    std::string urn;
    bool required = false;
};

/// Everything the bridge needs about one resource type (User, Group or a further one). Not
/// copyable: the lookup indexes point into `attributes`; build_index() after changing them.
class resource_profile {
public:
    resource_profile() = default;
    resource_profile(const resource_profile&) = delete;
    resource_profile& operator=(const resource_profile&) = delete;
    resource_profile(resource_profile&&) = default;
    resource_profile& operator=(resource_profile&&) = default;

    std::string name;      // "User", "Group" or a further type's, e.g. "Device"
    std::string endpoint;  // "/Users", "/Groups", "/Devices"
    std::string schema;    // core schema URN
    std::vector<extension_schema> extensions;
    base_kind base = base_kind::users;
    std::vector<std::string> object_classes;  // written on create
    ldap::filter search_filter;               // selects this type's entries under the base
    std::string rdn_attribute;
    std::string id_attribute = "entryUUID";
    std::vector<attribute_mapping> attributes;
    std::vector<ldap_template> templates;
    std::optional<active_settings> active;
    std::optional<password_settings> password;
    std::optional<user_type_settings> user_type;
    std::optional<pending_create_settings> pending_create;
    delete_settings deletion;
    std::optional<groups_settings> groups;
    std::optional<members_settings> members;
    meta_settings meta;

    /// Rebuilds the lookup indexes (and template placeholders stay valid: they point into
    /// `attributes`, which this does not touch).
    void build_index();

    /// The mapping for exactly this path and selector. An empty schema means the core schema,
    /// or the one extension that defines the name (RFC 7644 §3.10 lets clients omit the URN
    /// for core attributes; IdPs also omit it for extensions). Case-insensitive (RFC 7643 §2.1).
    const attribute_mapping* find(const attr_path& path,
                                  const value_selector* selector = nullptr) const;
    /// Every mapping under a path, any selector: "emails" → all email mappings, "name" → its
    /// sub-attributes, "emails.value" → every selected email's value.
    std::vector<const attribute_mapping*> find_all(const attr_path& path) const;
    /// Mappings that read or write an LDAP attribute (case-insensitive, options ignored).
    const std::vector<const attribute_mapping*>& find_by_ldap(std::string_view attribute) const;
    /// The template for an LDAP attribute, or nullptr.
    const ldap_template* find_template(std::string_view ldap_attribute) const;
    /// Whether values of this LDAP attribute must never be written anywhere outside the
    /// directory (the audit log): the password's attribute, a mapping marked secret, writeOnly
    /// or returned never, and the password attributes of the common schemas.
    bool is_secret(std::string_view ldap_attribute) const;
    /// Whether `urn` is this resource's core schema or one of its extensions.
    bool knows_schema(std::string_view urn) const;
    /// The LDAP attributes a full read needs (mappings, id, meta, groups/members, active).
    const std::vector<std::string>& all_ldap_attributes() const { return all_ldap_; }
    /// The LDAP attributes a read with neither `attributes` nor `excludedAttributes` requests
    /// (what projection::ldap_attributes gives for that case; kept here because every IdP
    /// lookup asks for exactly this).
    const std::vector<std::string>& default_read_attributes() const { return default_read_; }

private:
    struct ci_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept;
    };
    struct ci_equal {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const noexcept;
    };
    template <class T>
    using ci_map = std::unordered_map<std::string, T, ci_hash, ci_equal>;

    bool schema_matches(const attribute_mapping& m, std::string_view schema) const;
    void build_default_read();

    ci_map<std::vector<const attribute_mapping*>> by_name_;
    ci_map<std::vector<const attribute_mapping*>> by_ldap_;
    std::vector<std::string> all_ldap_;
    std::vector<std::string> default_read_;
};

/// A whole profile: its name and the resource types it maps.
struct profile {
    std::string name;
    std::string description;
    std::string file;  // where it was loaded from
    resource_profile user;
    resource_profile group;
    /// Resource types beyond User and Group, in the profile's order (docs/mapping.md, "Further
    /// resource types"): each is a profile section served by the generic handler.
    std::vector<resource_profile> more;

    /// User, Group, then the others: what discovery lists and root search covers.
    std::vector<const resource_profile*> resources() const;
    /// The resource type named `name` (case-insensitive, as RFC 7643 §2.1 names are), or nullptr.
    const resource_profile* find_resource(std::string_view name) const;
    /// Whether any resource type of the profile holds secrets in this LDAP attribute.
    bool is_secret(std::string_view ldap_attribute) const;
};

}  // namespace scimldap::mapping
