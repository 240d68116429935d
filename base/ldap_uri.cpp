#include "base/ldap_uri.hpp"

#include "base/ascii_case.hpp"

#include <arpa/inet.h>
#include <ldap.h>

#include <memory>

namespace scimldap::ldap {
namespace {

// Debian's slapd listens here for ldapi:/// (what libldap's own default would be).
constexpr const char* default_ldapi_socket = "/var/run/slapd/ldapi";

struct url_free {
    void operator()(LDAPURLDesc* d) const { ldap_free_urldesc(d); }
};

bool fail(std::string* why, std::string text) {
    if (why != nullptr) {
        *why = std::move(text);
    }
    return false;
}

}  // namespace

std::string_view to_string(tls_mode mode) {
    switch (mode) {
        case tls_mode::starttls:
            return "starttls";
        case tls_mode::ldaps:
            return "ldaps";
        case tls_mode::none:
            break;
    }
    return "none";
}

std::optional<tls_mode> parse_tls_mode(std::string_view text) {
    for (const tls_mode m : {tls_mode::none, tls_mode::starttls, tls_mode::ldaps}) {
        if (text == to_string(m)) {
            return m;
        }
    }
    return std::nullopt;
}

std::string ldap_uri::where() const {
    if (scheme == kind::ldapi) {
        return socket_path;
    }
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

/// The host as an IPv4 or IPv6 literal, when it is one.
std::optional<in6_addr> ipv6_of(const std::string& host) {
    in6_addr v6{};
    // A zone ("fe80::1%eth0") names the interface, not the address.
    const std::string address = host.substr(0, host.find('%'));
    if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
        return v6;
    }
    return std::nullopt;
}

std::optional<in_addr> ipv4_of(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return v4;
    }
    return std::nullopt;
}

}  // namespace

bool ldap_uri::host_is_ip_address() const {
    return ipv4_of(host) || ipv6_of(host);
}

bool ldap_uri::is_loopback() const {
    if (scheme == kind::ldapi || ascii::iequals(host, "localhost")) {
        return true;
    }
    if (const auto v4 = ipv4_of(host)) {
        return (ntohl(v4->s_addr) >> 24) == 127;  // 127.0.0.0/8
    }
    const auto v6 = ipv6_of(host);
    return v6 && IN6_IS_ADDR_LOOPBACK(&*v6);
}

tls_mode tls_options::mode_for(const ldap_uri& uri) const {
    switch (uri.scheme) {
        case ldap_uri::kind::ldaps:
            return tls_mode::ldaps;
        case ldap_uri::kind::ldapi:
            return tls_mode::none;
        case ldap_uri::kind::ldap:
            break;
    }
    const auto it = per_uri.find(uri.text);
    return it != per_uri.end() ? it->second : ldap_default;
}

std::optional<ldap_uri> parse_ldap_uri(std::string_view text, std::string* why) {
    const std::string uri(text);
    LDAPURLDesc* raw = nullptr;
    if (ldap_url_parse(uri.c_str(), &raw) != LDAP_URL_SUCCESS) {
        fail(why, "not an LDAP URI (ldap://host:port, ldaps://host:port or ldapi://)");
        return std::nullopt;
    }
    const std::unique_ptr<LDAPURLDesc, url_free> desc(raw);
    ldap_uri out;
    out.text = uri;
    const std::string scheme = desc->lud_scheme != nullptr ? desc->lud_scheme : "";
    if (ascii::iequals(scheme, "ldap")) {
        out.scheme = ldap_uri::kind::ldap;
    } else if (ascii::iequals(scheme, "ldaps")) {
        out.scheme = ldap_uri::kind::ldaps;
    } else if (ascii::iequals(scheme, "ldapi")) {
        out.scheme = ldap_uri::kind::ldapi;
    } else {
        fail(why, "unknown scheme \"" + scheme + "\": use ldap, ldaps or ldapi");
        return std::nullopt;
    }
    if ((desc->lud_dn != nullptr && *desc->lud_dn != '\0') || desc->lud_attrs != nullptr ||
        desc->lud_filter != nullptr || desc->lud_exts != nullptr) {
        fail(why, "a server URI without DN or filter, e.g. ldap://host:389");
        return std::nullopt;
    }
    const std::string host = desc->lud_host != nullptr ? desc->lud_host : "";
    if (out.scheme == ldap_uri::kind::ldapi) {
        out.socket_path = host.empty() ? default_ldapi_socket : host;  // libldap unescaped it
        return out;
    }
    if (host.empty()) {
        fail(why, "name the server: ldap://host:port");
        return std::nullopt;
    }
    out.host = host;
    const int default_port = out.scheme == ldap_uri::kind::ldaps ? 636 : 389;
    out.port = static_cast<std::uint16_t>(desc->lud_port > 0 ? desc->lud_port : default_port);
    return out;
}

}  // namespace scimldap::ldap
