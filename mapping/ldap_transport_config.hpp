// The "ldap" keys that say how the bridge reaches the directory: URIs, TLS, plaintext binds.
#pragma once

#include "mapping/config.hpp"
#include "mapping/json_reader.hpp"

namespace scimldap::mapping {

/// The keys read_ldap_transport reads, for the "ldap" object's list of known keys.
inline constexpr std::string_view ldap_transport_keys[] = {"uris",
                                                           "read_uris",
                                                           "tls",
                                                           "ca_file",
                                                           "cert_file",
                                                           "key_file",
                                                           "insecure_skip_verify",
                                                           "allow_plaintext_bind"};

/// Reads uris and read_uris (strings, or {"uri", "tls"} objects), tls, ca_file, cert_file,
/// key_file, insecure_skip_verify and allow_plaintext_bind into out. Needs out.bind_dn and
/// out.sasl_external already read: a simple bind in clear off this machine is refused here.
void read_ldap_transport(const object_reader& r, error_list& errors, ldap_settings& out);

/// Why a connection to uri under settings s would send the bind password in clear to another
/// machine (empty when it would not): the refusal `allow_plaintext_bind` lifts.
std::string plaintext_bind_refusal(const ldap_settings& s, const ldap::ldap_uri& uri);

}  // namespace scimldap::mapping
