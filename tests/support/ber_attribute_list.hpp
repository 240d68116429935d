// liblber's encoding of a PartialAttributeList, for the decoder's tests and its fuzz target.
#pragma once

#include "base/ldap_types.hpp"

#include <lber.h>

#include <memory>
#include <string>
#include <vector>

namespace scimldap::test {

/// The contents of a PartialAttributeList, encoded by liblber: `{type [values]}` per attribute.
/// DER (minimal lengths, as slapd sends) or liblber's default (four-octet long lengths). Names
/// are written as C strings: a name holding NUL ends there.
inline std::string encode_attribute_list(const std::vector<ldap::attribute>& attributes,
                                         int options = LBER_USE_DER) {
    const std::unique_ptr<BerElement, decltype([](BerElement* b) { ber_free(b, 1); })> ber(
        ber_alloc_t(options));
    for (const auto& a : attributes) {
        ber_printf(ber.get(), "{s[", a.name.c_str());
        for (const auto& v : a.values) {
            ber_printf(ber.get(), "o", v.data(), static_cast<ber_len_t>(v.size()));
        }
        ber_printf(ber.get(), "]}");
    }
    berval* flat = nullptr;
    ber_flatten(ber.get(), &flat);
    std::string out(flat->bv_val, flat->bv_len);
    ber_bvfree(flat);
    return out;
}

}  // namespace scimldap::test
