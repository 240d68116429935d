// Synchronous LDAP access as the rootdn, for test assertions and set-up (never in the product).
#pragma once

#include "bridge/ldap/ldap_types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace scimldap::testing {

class slapd_launcher;

/// A blocking libldap connection bound as the launcher's admin: read entries to assert on,
/// apply LDIF to set up or to simulate an admin's direct edit.
class ldap_admin {
public:
    explicit ldap_admin(const slapd_launcher& slapd);
    ~ldap_admin();
    ldap_admin(const ldap_admin&) = delete;
    ldap_admin& operator=(const ldap_admin&) = delete;

    /// The entry at name with the given attributes ("*" and "+" allowed); nullopt when absent.
    std::optional<ldap::entry> read(const std::string& name,
                                    const std::vector<std::string>& attributes = {"*", "+"});
    std::vector<ldap::entry> search(const std::string& base, const std::string& filter,
                                    const std::vector<std::string>& attributes = {"*", "+"});
    /// Applies LDIF change records (changetype add/modify/delete/modrdn; plain entries = add).
    /// Throws std::runtime_error with the server's message on failure.
    void apply_ldif(const std::string& ldif);
    /// Simple bind as name/password on a fresh connection: true on success (ldapwhoami).
    bool can_bind(const std::string& name, const std::string& password) const;

private:
    std::string uri_;
    void* ld_ = nullptr;  // LDAP*
};

}  // namespace scimldap::testing
