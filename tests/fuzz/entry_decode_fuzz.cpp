// libFuzzer target: the bytes of a SearchResultEntry's attribute list as slapd (or anything on
// the LDAP port) may send them, through the decoder (bridge/ldap/entry_decode.hpp); what decodes
// must survive a liblber re-encoding unchanged, and every resource type must render the entry
// (mapping/resource_json.hpp) whatever bytes its attributes hold, as JSON when they are UTF-8.
#include "base/utf8.hpp"
#include "bridge/ldap/entry_decode.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/support/ber_attribute_list.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::fuzz {
namespace {

bool has_nul(std::string_view s) {
    return s.find('\0') != std::string_view::npos;
}

bool all_utf8(const std::vector<ldap::attribute>& attributes) {
    for (const auto& a : attributes) {
        for (const auto& v : a.values) {
            if (!ldap::is_utf8(v)) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

// In scimldap, so that `ldap` names the LDAP layer, not libldap's `struct ldap`.
void decode_entry(std::string_view bytes) {
    const auto decoded = ldap::detail::decode_attribute_list(bytes);
    bool names_are_text = true;
    for (const auto& a : decoded.attributes) {
        names_are_text = names_are_text && !has_nul(a.name);
    }
    // liblber writes names as C strings: only names without NUL survive the round trip.
    if (decoded.complete && names_are_text) {
        const auto again =
            ldap::detail::decode_attribute_list(test::encode_attribute_list(decoded.attributes));
        require(again.complete);
        require(again.attributes.size() == decoded.attributes.size());
        for (std::size_t i = 0; i < again.attributes.size(); ++i) {
            require(again.attributes[i].name == decoded.attributes[i].name);
            require(again.attributes[i].values == decoded.attributes[i].values);
        }
    }
    ldap::entry entry;
    entry.name = ldap::dn("uid=fuzz,ou=People,dc=example,dc=org");
    entry.attributes = decoded.attributes;
    const bool utf8 = all_utf8(entry.attributes);
    for (const mapping::resource_profile* resource : fuzz::shipped_resources()) {
        (void)render(*resource, entry, utf8);
        (void)mapping::id_of(*resource, entry);
        (void)mapping::etag_of(*resource, entry);
        if (resource->active) {
            (void)mapping::is_active(*resource->active, entry);
        }
    }
}

}  // namespace scimldap::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    scimldap::fuzz::decode_entry({reinterpret_cast<const char*>(data), size});
    return 0;
}
