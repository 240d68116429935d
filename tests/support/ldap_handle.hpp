// RAII owners for the libldap objects the test support code uses, and a blocking connect+bind.
#pragma once

#include <ldap.h>

#include <memory>
#include <string>

namespace scimldap::testing {

struct ldap_unbinder {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct ldap_message_freer {
    void operator()(LDAPMessage* msg) const { ldap_msgfree(msg); }
};
struct ldap_memory_freer {
    void operator()(char* p) const { ldap_memfree(p); }
};
struct ber_element_freer {
    void operator()(BerElement* ber) const { ber_free(ber, 0); }
};
struct berval_vector_freer {
    void operator()(berval** values) const { ber_bvecfree(values); }
};

using ldap_ptr = std::unique_ptr<LDAP, ldap_unbinder>;
using ldap_message_ptr = std::unique_ptr<LDAPMessage, ldap_message_freer>;
using ldap_string_ptr = std::unique_ptr<char, ldap_memory_freer>;
using ber_element_ptr = std::unique_ptr<BerElement, ber_element_freer>;
using berval_vector_ptr = std::unique_ptr<berval*, berval_vector_freer>;

/// A connection to uri (LDAPv3, no referrals, short network timeout), simple-bound as name with
/// password unless name is empty (anonymous). rc receives the bind's result code; the handle is
/// null when the connection could not even be set up.
ldap_ptr ldap_connect(const std::string& uri, const std::string& name, const std::string& password,
                      int& rc);

}  // namespace scimldap::testing
