// Minimal BER tag-length-value reading and writing for the in-memory directory's controls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scimldap::testing {

/// One BER TLV read from a byte string.
struct tlv {
    unsigned char tag = 0;
    std::string_view content;
};

/// Reads the next TLV from `in` and advances past it; nullopt when `in` is malformed.
inline std::optional<tlv> next_tlv(std::string_view& in) {
    if (in.size() < 2) {
        return std::nullopt;
    }
    tlv out;
    out.tag = static_cast<unsigned char>(in[0]);
    std::size_t length = static_cast<unsigned char>(in[1]);
    std::size_t header = 2;
    if (length & 0x80) {
        const std::size_t octets = length & 0x7f;
        if (octets == 0 || octets > 4 || in.size() < 2 + octets) {
            return std::nullopt;
        }
        length = 0;
        for (std::size_t i = 0; i < octets; ++i) {
            length = (length << 8) | static_cast<unsigned char>(in[2 + i]);
        }
        header += octets;
    }
    if (in.size() < header + length) {
        return std::nullopt;
    }
    out.content = in.substr(header, length);
    in.remove_prefix(header + length);
    return out;
}

/// One TLV in definite-length form.
inline std::string make_tlv(unsigned char tag, std::string_view content) {
    std::string out(1, static_cast<char>(tag));
    const std::size_t n = content.size();
    if (n < 0x80) {
        out += static_cast<char>(n);
    } else {
        std::string len;
        for (std::size_t v = n; v != 0; v >>= 8) {
            len.insert(len.begin(), static_cast<char>(v & 0xff));
        }
        out += static_cast<char>(0x80 | len.size());
        out += len;
    }
    out += content;
    return out;
}

}  // namespace scimldap::testing
