// An LDAP URI (RFC 4516) taken apart into what the client needs to open a connection to it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::ldap {

/// How the bytes to one server are protected (RFC 4513 §3): not at all, StartTLS on an
/// ldap:// connection, or TLS from the first byte (ldaps://).
enum class tls_mode { none, starttls, ldaps };

std::string_view to_string(tls_mode mode);
std::optional<tls_mode> parse_tls_mode(std::string_view text);

/// Where one LDAP URI points: a host and port (ldap://, ldaps://) or a local socket (ldapi://).
struct ldap_uri {
    enum class kind { ldap, ldaps, ldapi };
    kind scheme = kind::ldap;
    std::string host;         // without brackets for IPv6 literals; empty for ldapi
    std::uint16_t port = 0;   // the scheme's default when the URI has none
    std::string socket_path;  // ldapi only
    std::string text;         // the URI as configured, for messages

    /// "host:port" (or the socket path) for log lines and errors.
    std::string where() const;
    /// An IP literal rather than a name (certificates are checked against IP SANs then).
    bool host_is_ip_address() const;
    /// 127.0.0.0/8, ::1 or "localhost": a simple bind there never leaves the machine.
    bool is_loopback() const;
};

/// Parses an ldap://, ldaps:// or ldapi:// URI without DN, attributes or filter; nullopt and a
/// reason otherwise.
std::optional<ldap_uri> parse_ldap_uri(std::string_view uri, std::string* why = nullptr);

/// TLS toward the directory: which URIs use it and how the server is checked.
struct tls_options {
    tls_mode ldap_default = tls_mode::none;   // for ldap:// URIs (ldaps:// is always TLS)
    std::map<std::string, tls_mode> per_uri;  // overrides of ldap_default, by URI as configured
    std::string ca_file;                      // PEM bundle; empty: the system's store
    std::string cert_file;                    // client certificate (PEM), optional
    std::string key_file;                     // its key (PEM)
    bool verify = true;  // chain and host name (RFC 6125); false only by insecure_skip_verify

    /// What a connection to `uri` does: ldaps:// is TLS, ldapi:// never, ldap:// as configured.
    tls_mode mode_for(const ldap_uri& uri) const;
    bool operator==(const tls_options&) const = default;
};

}  // namespace scimldap::ldap
