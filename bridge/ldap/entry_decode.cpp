#include "bridge/ldap/entry_decode.hpp"

namespace scimldap::ldap::detail {

std::string copy_berval(const berval& bv) {
    return bv.bv_val != nullptr ? std::string(bv.bv_val, bv.bv_len) : std::string();
}

std::vector<control> to_controls(LDAPControl** raw) {
    std::vector<control> out;
    for (auto** c = raw; c != nullptr && *c != nullptr; ++c) {
        control item{(*c)->ldctl_oid != nullptr ? (*c)->ldctl_oid : "", std::nullopt,
                     (*c)->ldctl_iscritical != 0};
        if ((*c)->ldctl_value.bv_val != nullptr) {
            item.value = copy_berval((*c)->ldctl_value);
        }
        out.push_back(std::move(item));
    }
    return out;
}

namespace {

constexpr unsigned char tag_octet_string = 0x04;
constexpr unsigned char tag_sequence = 0x30;
constexpr unsigned char tag_set = 0x31;

// The contents of the next element of `in` if it has tag `tag`, with `in` moved past it. LDAP
// uses the definite length form only (RFC 4511 §5.1) and one-byte tags in these elements.
std::optional<std::string_view> take(std::string_view& in, unsigned char tag) {
    if (in.size() < 2 || static_cast<unsigned char>(in[0]) != tag) {
        return std::nullopt;
    }
    std::size_t length = static_cast<unsigned char>(in[1]);
    std::size_t header = 2;
    if (length & 0x80) {
        const std::size_t octets = length & 0x7f;
        if (octets == 0 || octets > 4 || in.size() < header + octets) {
            return std::nullopt;
        }
        length = 0;
        for (std::size_t i = 0; i < octets; ++i) {
            length = (length << 8) | static_cast<unsigned char>(in[header + i]);
        }
        header += octets;
    }
    if (in.size() - header < length) {
        return std::nullopt;
    }
    const std::string_view contents = in.substr(header, length);
    in.remove_prefix(header + length);
    return contents;
}

}  // namespace

std::vector<attribute> decode_attribute_list(std::string_view list) {
    std::vector<attribute> out;
    out.reserve(16);  // a typical user: no regrowth while decoding
    while (!list.empty()) {
        auto partial = take(list, tag_sequence);
        const auto type = partial ? take(*partial, tag_octet_string) : std::nullopt;
        auto values = type ? take(*partial, tag_set) : std::nullopt;
        if (!values) {
            break;  // malformed: what was read so far is kept, as libldap's loop would
        }
        attribute& attr = out.emplace_back(attribute{std::string(*type), {}});
        while (const auto value = take(*values, tag_octet_string)) {
            attr.values.emplace_back(*value);
        }
    }
    return out;
}

entry parse_entry(LDAP* ld, LDAPMessage* message) {
    entry out;
    // Controls first: in-place decoding of the attributes NUL-terminates values inside the
    // shared message buffer, which clobbers the tag of the controls that follow them.
    LDAPControl** controls = nullptr;
    if (ldap_get_entry_controls(ld, message, &controls) == LDAP_SUCCESS) {
        out.controls = to_controls(controls);
        ldap_controls_free(controls);
    }
    BerElement* ber = nullptr;
    berval name{};
    if (ldap_get_dn_ber(ld, message, &ber, &name) != LDAP_SUCCESS) {
        return out;
    }
    out.name = dn(copy_berval(name));
    // ldap_get_dn_ber leaves `ber` at the first attribute with the list's length remaining: the
    // list is read from the message's bytes in one pass (ldap_get_attribute_ber decoded each
    // tag through liblber and allocated an array per attribute: 4 % of a lookup's instructions).
    ber_len_t remaining = 0;
    berval first{};
    if (ber_get_option(ber, LBER_OPT_REMAINING_BYTES, &remaining) == LBER_OPT_SUCCESS &&
        remaining > 0 && ber_skip_raw(ber, &first) != LBER_DEFAULT) {
        out.attributes = decode_attribute_list(std::string_view(first.bv_val, remaining));
    }
    ber_free(ber, 0);
    return out;
}

}  // namespace scimldap::ldap::detail
