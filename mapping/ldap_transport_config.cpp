#include "mapping/ldap_transport_config.hpp"

#include <boost/json/value.hpp>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using ldap::tls_mode;

constexpr std::string_view tls_values = "use \"none\", \"starttls\" or \"ldaps\"";

std::optional<tls_mode> read_mode(const object_reader& r) {
    const auto text = r.string("tls");
    if (!text) {
        return std::nullopt;
    }
    const auto mode = ldap::parse_tls_mode(*text);
    if (!mode) {
        r.error("tls", "\"" + *text + "\" is not a TLS mode: " + std::string(tls_values));
    }
    return mode;
}

/// One entry of "uris": a URI string, or {"uri": ..., "tls": ...} to set TLS for it alone.
std::optional<std::pair<ldap::ldap_uri, std::optional<tls_mode>>> read_uri_entry(
    const json::value& v, const std::string& path, error_list& errors) {
    std::string text;
    std::optional<tls_mode> mode;
    if (v.is_string()) {
        text = std::string(v.get_string());
    } else if (v.is_object()) {
        object_reader entry(v, path, errors, {"uri", "tls"});
        const auto uri = entry.string("uri", true);
        if (!uri) {
            return std::nullopt;
        }
        text = *uri;
        mode = read_mode(entry);
    } else {
        errors.add(path, "expected a URI string or {\"uri\": ..., \"tls\": ...}, got " +
                             std::string(json_kind_name(v)));
        return std::nullopt;
    }
    std::string why;
    auto uri = ldap::parse_ldap_uri(text, &why);
    if (!uri) {
        errors.add(path, "\"" + text +
                             "\" is not an LDAP server URI: write ldap://host:port, "
                             "ldaps://host:port or ldapi://%2Fpath, without DN or filter (" +
                             why + ")");
        return std::nullopt;
    }
    return std::pair{std::move(*uri), mode};
}

/// A mode that contradicts the URI's scheme is a mistake worth stopping for.
void check_scheme_agrees(const ldap::ldap_uri& uri, tls_mode mode, const std::string& path,
                         error_list& errors) {
    using kind = ldap::ldap_uri::kind;
    if (uri.scheme == kind::ldaps && mode != tls_mode::ldaps) {
        errors.add(path, "\"" + uri.text + "\" is TLS from the first byte (ldaps://); tls \"" +
                             std::string(ldap::to_string(mode)) +
                             "\" contradicts it: write ldap:// for StartTLS or drop \"tls\"");
    } else if (uri.scheme == kind::ldap && mode == tls_mode::ldaps) {
        errors.add(path, "\"" + uri.text +
                             "\" with tls \"ldaps\": write the URI as ldaps://host:636, or use "
                             "\"starttls\" on the ldap:// port");
    } else if (uri.scheme == kind::ldapi && mode != tls_mode::none) {
        errors.add(path, "\"" + uri.text + "\" is a local socket (ldapi://): it takes no TLS");
    }
}

/// The URIs of the list `key` ("uris", "read_uris"), each with its JSON path; their TLS modes go
/// into out.tls.per_uri.
std::vector<std::pair<ldap::ldap_uri, std::string>> read_uri_list(
    const object_reader& r, std::string_view key, bool required, const std::optional<tls_mode>& all,
    error_list& errors, ldap_settings& out) {
    std::vector<std::pair<ldap::ldap_uri, std::string>> uris;
    const auto* list = r.array(key, required);
    if (list == nullptr) {
        return uris;
    }
    if (list->empty() && required) {
        r.error(key, "list at least one LDAP URI, e.g. \"ldaps://ldap.example.org\"");
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = index_path(r.path_of(key), i);
        auto entry = read_uri_entry((*list)[i], path, errors);
        if (!entry) {
            continue;
        }
        auto& [uri, mode] = *entry;
        if (mode) {
            check_scheme_agrees(uri, *mode, path, errors);
            out.tls.per_uri[uri.text] = *mode;
        } else if (all) {
            const bool applies = uri.scheme != ldap::ldap_uri::kind::ldapi &&
                                 !(uri.scheme == ldap::ldap_uri::kind::ldaps);
            if (applies || *all == tls_mode::none) {
                check_scheme_agrees(uri, *all, path, errors);
            }
        }
        uris.emplace_back(std::move(uri), path);
    }
    return uris;
}

}  // namespace

void read_ldap_transport(const object_reader& r, error_list& errors, ldap_settings& out) {
    const std::optional<tls_mode> all = read_mode(r);
    if (all && *all != tls_mode::ldaps) {
        out.tls.ldap_default = *all;
    }
    out.require_ldaps = all == tls_mode::ldaps;  // every URI must then say ldaps://
    auto uris = read_uri_list(r, "uris", true, all, errors, out);
    for (const auto& [uri, path] : uris) {
        out.uris.push_back(uri.text);
    }
    // Read-only replicas: searches that need not see this bridge's own writes go there.
    for (auto& [uri, path] : read_uri_list(r, "read_uris", false, all, errors, out)) {
        out.read_uris.push_back(uri.text);
        uris.emplace_back(std::move(uri), std::move(path));
    }
    out.tls.ca_file = r.string("ca_file").value_or("");
    out.tls.cert_file = r.string("cert_file").value_or("");
    out.tls.key_file = r.string("key_file").value_or("");
    if (out.tls.cert_file.empty() != out.tls.key_file.empty()) {
        r.error(out.tls.cert_file.empty() ? "cert_file" : "key_file",
                "a client certificate needs both \"cert_file\" and \"key_file\"");
    }
    out.tls.verify = !r.boolean("insecure_skip_verify").value_or(false);
    out.allow_plaintext_bind = r.boolean("allow_plaintext_bind").value_or(false);
    for (const auto& [uri, path] : uris) {
        if (auto why = plaintext_bind_refusal(out, uri); !why.empty()) {
            errors.add(path, std::move(why));
        }
    }
}

std::string plaintext_bind_refusal(const ldap_settings& s, const ldap::ldap_uri& uri) {
    // A simple bind sends the service account's password: off this machine, only inside TLS.
    if (s.sasl_external || s.bind_dn.empty() || s.allow_plaintext_bind ||
        s.tls.mode_for(uri) != tls_mode::none || uri.is_loopback()) {
        return {};
    }
    return "\"" + uri.text +
           "\" would send the bind password in clear to another machine: use ldaps://, or "
           "\"tls\": \"starttls\", or set \"allow_plaintext_bind\": true if the network is "
           "trusted";
}

}  // namespace scimldap::mapping
