#include "tests/support/ldap_handle.hpp"

namespace scimldap::testing {

ldap_ptr ldap_connect(const std::string& uri, const std::string& name, const std::string& password,
                      int& rc) {
    LDAP* raw = nullptr;
    rc = ldap_initialize(&raw, uri.c_str());
    ldap_ptr ld(raw);
    if (rc != LDAP_SUCCESS) {
        return nullptr;
    }
    const int version = LDAP_VERSION3;
    ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    // Tests must never hang on a dead server: bound connect and every synchronous call.
    timeval timeout{5, 0};
    ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);
    if (name.empty()) {
        return ld;  // anonymous: the first operation connects
    }
    berval credentials{password.size(), const_cast<char*>(password.data())};
    rc = ldap_sasl_bind_s(ld.get(), name.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr,
                          nullptr);
    return ld;
}

}  // namespace scimldap::testing
