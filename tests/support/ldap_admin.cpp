#include "tests/support/ldap_admin.hpp"

#include "tests/support/slapd_launcher.hpp"

#include "tests/support/child_process.hpp"

#include <strings.h>

#include <filesystem>
#include <fstream>

namespace scimldap::testing {
namespace {

void check(int rc, LDAP* ld, const std::string& what) {
    if (rc == LDAP_SUCCESS) {
        return;
    }
    std::string message = what + ": " + ldap_err2string(rc);
    char* diagnostic = nullptr;
    if (ld != nullptr && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic) == 0 &&
        diagnostic != nullptr) {
        const ldap_string_ptr owned(diagnostic);
        if (*diagnostic != '\0') {
            message += std::string(" (") + diagnostic + ")";
        }
    }
    throw ldap_admin_error(rc, message);
}

// A null-terminated char* array view of attributes for ldap_search_ext_s.
std::vector<char*> attribute_list(const std::vector<std::string>& attributes) {
    std::vector<char*> list;
    for (const auto& a : attributes) {
        list.push_back(const_cast<char*>(a.c_str()));
    }
    if (list.empty()) {
        list.push_back(const_cast<char*>(LDAP_NO_ATTRS));
    }
    list.push_back(nullptr);
    return list;
}

ldap::entry to_entry(LDAP* ld, LDAPMessage* message) {
    ldap::entry e;
    const ldap_string_ptr name(ldap_get_dn(ld, message));
    e.name = ldap::dn(name ? name.get() : "");
    BerElement* raw_ber = nullptr;
    for (char* a = ldap_first_attribute(ld, message, &raw_ber); a != nullptr;
         a = ldap_next_attribute(ld, message, raw_ber)) {
        const ldap_string_ptr attr(a);
        ldap::attribute attribute{attr.get(), {}};
        const berval_vector_ptr values(ldap_get_values_len(ld, message, attr.get()));
        for (berval** v = values.get(); v != nullptr && *v != nullptr; ++v) {
            attribute.values.emplace_back((*v)->bv_val, (*v)->bv_len);
        }
        e.attributes.push_back(std::move(attribute));
    }
    const ber_element_ptr ber(raw_ber);
    return e;
}

}  // namespace

ldap_admin::ldap_admin(const slapd_launcher& slapd)
    : ldap_admin(slapd, slapd_launcher::admin_dn, slapd_launcher::admin_password) {}

ldap_admin::ldap_admin(const slapd_launcher& slapd, std::string bind_dn, std::string password)
    : uri_(slapd.uri()), bind_dn_(std::move(bind_dn)), password_(std::move(password)) {
    int rc = LDAP_SUCCESS;
    ld_ = ldap_connect(uri_, bind_dn_, password_, rc);
    check(rc, ld_.get(), "bind as " + (bind_dn_.empty() ? "anonymous" : bind_dn_) + " to " + uri_);
}

ldap_admin::~ldap_admin() = default;

std::optional<ldap::entry> ldap_admin::read(const std::string& name,
                                            const std::vector<std::string>& attributes) {
    auto attrs = attribute_list(attributes);
    LDAPMessage* raw = nullptr;
    const int rc = ldap_search_ext_s(ld_.get(), name.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)",
                                     attrs.data(), 0, nullptr, nullptr, nullptr, 0, &raw);
    const ldap_message_ptr result(raw);
    if (rc == LDAP_NO_SUCH_OBJECT) {
        return std::nullopt;
    }
    check(rc, ld_.get(), "read " + name);
    LDAPMessage* first = ldap_first_entry(ld_.get(), result.get());
    if (first == nullptr) {
        return std::nullopt;
    }
    return to_entry(ld_.get(), first);
}

std::vector<ldap::entry> ldap_admin::search(const std::string& base, const std::string& filter,
                                            const std::vector<std::string>& attributes) {
    auto attrs = attribute_list(attributes);
    LDAPMessage* raw = nullptr;
    const int rc = ldap_search_ext_s(ld_.get(), base.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                                     attrs.data(), 0, nullptr, nullptr, nullptr, 0, &raw);
    const ldap_message_ptr result(raw);
    check(rc, ld_.get(), "search " + base + " " + filter);
    std::vector<ldap::entry> entries;
    for (LDAPMessage* m = ldap_first_entry(ld_.get(), result.get()); m != nullptr;
         m = ldap_next_entry(ld_.get(), m)) {
        entries.push_back(to_entry(ld_.get(), m));
    }
    return entries;
}

void ldap_admin::apply_ldif(const std::string& ldif) {
    // ldapmodify is the reference LDIF parser; tests may block, so one process per call is fine.
    const std::string input = make_temp_file("scimldap-ldif");
    const std::string output = make_temp_file("scimldap-ldapmodify");
    std::ofstream(input) << ldif;
    std::vector<std::string> argv{"/usr/bin/ldapmodify", "-a", "-x", "-H", uri_, "-f", input};
    if (!bind_dn_.empty()) {
        argv.insert(argv.end(), {"-D", bind_dn_, "-w", password_});
    }
    const int code = run(argv, output);
    const std::string text = read_file(output);
    std::filesystem::remove(input);
    std::filesystem::remove(output);
    if (code != 0) {
        // ldapmodify exits with the failing operation's LDAP result code.
        throw ldap_admin_error(code, "ldapmodify failed (" + std::to_string(code) + "): " + text);
    }
}

bool ldap_admin::can_bind(const std::string& name, const std::string& password) const {
    int rc = LDAP_SUCCESS;
    const ldap_ptr ld = ldap_connect(uri_, name, password, rc);
    if (rc == LDAP_SUCCESS) {
        return true;
    }
    if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
        rc == LDAP_UNWILLING_TO_PERFORM) {
        return false;
    }
    check(rc, ld.get(), "bind as " + name);  // the server is not answering: not a "no"
    return false;
}

void ldap_admin::password_modify(const std::string& user_dn, const std::string& new_password) {
    berval user{user_dn.size(), const_cast<char*>(user_dn.data())};
    berval password{new_password.size(), const_cast<char*>(new_password.data())};
    berval generated{0, nullptr};
    const int rc =
        ldap_passwd_s(ld_.get(), &user, nullptr, &password, &generated, nullptr, nullptr);
    ber_memfree(generated.bv_val);
    check(rc, ld_.get(), "password modify of " + user_dn);
}

std::vector<std::string> attribute_values(const ldap::entry& e, std::string_view name) {
    for (const auto& a : e.attributes) {
        if (a.name.size() == name.size() &&
            strncasecmp(a.name.data(), name.data(), name.size()) == 0) {
            return a.values;
        }
    }
    return {};
}

}  // namespace scimldap::testing
