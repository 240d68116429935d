#include "bridge/ldap/entry_decode.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>

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

constexpr std::size_t max_tag_octets = 8;  // liblber's limit (the size of a ber_tag_t)

// The contents of the next element of `in`, with `in` moved past it; nullopt when it does not
// fit. Tags are not checked, as libldap's decoding did not check them; high tag numbers are
// skipped over. Lengths in the definite form only (RFC 4511 §5.1), short or long with as many
// octets as liblber reads (up to the size of a length).

std::optional<std::string_view> take_any(std::string_view& in) {
    std::size_t at = 1;
    if (in.empty()) {
        return std::nullopt;
    }
    if ((static_cast<unsigned char>(in[0]) & 0x1f) == 0x1f) {
        while (at < in.size() && (static_cast<unsigned char>(in[at]) & 0x80) != 0) {
            ++at;
        }
        if (++at > max_tag_octets) {  // ++: the tag's last octet
            return std::nullopt;
        }
    }
    if (at >= in.size()) {
        return std::nullopt;
    }
    std::uint64_t length = static_cast<unsigned char>(in[at++]);
    if (length & 0x80) {
        const std::size_t octets = length & 0x7f;
        if (octets == 0 || octets > sizeof(std::uint64_t) || in.size() - at < octets) {
            return std::nullopt;  // 0: the indefinite form, which LDAP does not allow
        }
        length = 0;
        for (std::size_t i = 0; i < octets; ++i) {
            length = (length << 8) | static_cast<unsigned char>(in[at + i]);
        }
        at += octets;
    }
    if (length > in.size() - at) {
        return std::nullopt;
    }
    const std::string_view contents = in.substr(at, static_cast<std::size_t>(length));
    in.remove_prefix(at + contents.size());
    return contents;
}

// take_any, with the common case inline: a low tag number and a one-octet length (DER's for
// every element under 128 bytes, as most of an entry's values are).
std::optional<std::string_view> take(std::string_view& in) {
    if (in.size() >= 2 && (static_cast<unsigned char>(in[0]) & 0x1f) != 0x1f &&
        (static_cast<unsigned char>(in[1]) & 0x80) == 0) {
        const std::size_t length = static_cast<unsigned char>(in[1]);
        if (length > in.size() - 2) {
            return std::nullopt;
        }
        const std::string_view contents = in.substr(2, length);
        in.remove_prefix(2 + length);
        return contents;
    }
    return take_any(in);
}

}  // namespace

decoded_attributes decode_attribute_list(std::string_view list, bool count_values) {
    decoded_attributes out;
    out.attributes.reserve(16);  // a typical user: no regrowth while decoding
    while (!list.empty()) {
        auto partial = take(list);  // PartialAttribute ::= SEQUENCE { type, vals SET OF value }
        const auto type = partial ? take(*partial) : std::nullopt;
        auto values = type ? take(*partial) : std::nullopt;
        if (!values || !partial->empty()) {  // nothing may follow the values in the SEQUENCE
            out.complete = false;
            return out;
        }
        attribute& attr = out.attributes.emplace_back(attribute{std::string(*type), {}});
        while (!values->empty()) {
            const auto value = take(*values);
            if (!value) {
                out.complete = false;
                return out;
            }
            if (count_values) {
                ++attr.value_count;
            } else {
                attr.values.emplace_back(*value);
            }
        }
    }
    return out;
}

entry parse_entry(LDAP* ld, LDAPMessage* message, bool count_values) {
    entry out;
    // Controls first, then the DN (whose in-place decoding writes a NUL over the tag of the
    // attribute list, outside the bytes read below), then the list straight from the message's
    // bytes: nothing may decode inside the list in place before it is read.
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
        auto decoded =
            decode_attribute_list(std::string_view(first.bv_val, remaining), count_values);
        if (!decoded.complete) {
            spdlog::warn(
                "LDAP entry {}: malformed attribute list; {} attribute(s) read, the rest "
                "ignored",
                out.name.str(), decoded.attributes.size());
        }
        out.attributes = std::move(decoded.attributes);
    }
    ber_free(ber, 0);
    return out;
}

}  // namespace scimldap::ldap::detail
