// Synchronous LDAP access as the rootdn, for test assertions and set-up (never in the product).
#pragma once

#include "base/ldap_types.hpp"
#include "tests/support/ldap_handle.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::testing {

class slapd_launcher;

/// A failed LDAP operation of the test support code: the LDAP result code and the server's text.
class ldap_admin_error : public std::runtime_error {
public:
    ldap_admin_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

/// A blocking libldap connection bound as the launcher's admin: read entries to assert on,
/// apply LDIF to set up or to simulate an admin's direct edit.
class ldap_admin {
public:
    explicit ldap_admin(const slapd_launcher& slapd);
    /// The same, bound as bind_dn/password instead (empty bind_dn: anonymous), to check what
    /// another identity (the bridge's service account, a user) may do.
    ldap_admin(const slapd_launcher& slapd, std::string bind_dn, std::string password);
    ~ldap_admin();
    ldap_admin(const ldap_admin&) = delete;
    ldap_admin& operator=(const ldap_admin&) = delete;

    /// The entry at name with the given attributes ("*" and "+" allowed); nullopt when absent.
    std::optional<ldap::entry> read(const std::string& name,
                                    const std::vector<std::string>& attributes = {"*", "+"});
    std::vector<ldap::entry> search(const std::string& base, const std::string& filter,
                                    const std::vector<std::string>& attributes = {"*", "+"});
    /// Applies LDIF change records (changetype add/modify/delete/modrdn; plain entries = add).
    /// Throws ldap_admin_error (code = the failing operation's result code) on failure.
    void apply_ldif(const std::string& ldif);
    /// Simple bind as name/password on a fresh connection: true on success (ldapwhoami).
    bool can_bind(const std::string& name, const std::string& password) const;
    /// RFC 3062 Password Modify: sets user_dn's password to new_password (server hashes it).
    void password_modify(const std::string& user_dn, const std::string& new_password);

private:
    std::string uri_;
    std::string bind_dn_;
    std::string password_;
    ldap_ptr ld_;
};

/// The values of attribute name (case-insensitive) in e; empty when absent.
std::vector<std::string> attribute_values(const ldap::entry& e, std::string_view name);

}  // namespace scimldap::testing
