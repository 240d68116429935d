#include "mapping/config_overrides.hpp"

#include "mapping/ldap_syntax.hpp"
#include "mapping/ldap_transport_config.hpp"
#include "mapping/suggest.hpp"

#include <ldap.h>

#include <algorithm>
#include <charconv>

namespace scimldap::mapping {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

// "host:port", "[::1]:8443" or ":8443" (keep the host).
bool split_listen(std::string_view text, std::string& host, std::string& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    host = std::string(text.substr(0, colon));
    port = std::string(text.substr(colon + 1));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return true;
}

std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string_view item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            out.emplace_back(item);
        }
        start = comma + 1;
    }
    return out;
}

class applier {
public:
    applier(config& c, std::vector<config_error>& errors) : c_(c), errors_(errors) {}

    void apply(const config_override& o) {
        if (o.key == "listen") {
            std::string host;
            std::string port;
            if (!split_listen(o.value, host, port)) {
                fail(o, "expected host:port, e.g. 127.0.0.1:8443 or [::]:8443");
                return;
            }
            if (!host.empty()) {
                c_.listen.host = host;
            }
            set_port(o, port);
        } else if (o.key == "listen.host") {
            if (o.value.empty()) {
                fail(o, "name an address to listen on");
                return;
            }
            c_.listen.host = o.value;
        } else if (o.key == "listen.port") {
            set_port(o, o.value);
        } else if (o.key == "ldap.uris") {
            set_uris(o);
        } else if (o.key == "ldap.bind_dn") {
            if (!is_valid_dn(o.value)) {
                fail(o, "\"" + o.value + "\" is not a DN (RFC 4514)");
                return;
            }
            c_.ldap.bind_dn = o.value;
        } else if (o.key == "ldap.password_file") {
            c_.ldap.password_file = o.value;
        } else if (o.key == "logging.level") {
            static const std::vector<std::string_view> levels = {
                "trace", "debug", "info", "warn", "error", "critical", "off"};
            if (std::find(levels.begin(), levels.end(), o.value) == levels.end()) {
                fail(o, "unknown level \"" + o.value + "\"" + did_you_mean(o.value, levels));
                return;
            }
            c_.logging.level = o.value;
        } else if (o.key == "logging.format") {
            if (o.value != "text" && o.value != "json") {
                fail(o, "use text or json");
                return;
            }
            c_.logging.format = o.value;
        } else {
            fail(o, "cannot be overridden" + did_you_mean(o.key, overridable_keys()));
        }
    }

private:
    void fail(const config_override& o, std::string message) {
        errors_.push_back({o.source, o.key, std::move(message)});
    }

    void set_port(const config_override& o, std::string_view text) {
        const auto port = parse_port(text);
        if (!port) {
            fail(o, "\"" + std::string(text) + "\" is not a port: use 1 to 65535");
            return;
        }
        c_.listen.port = *port;
    }

    void set_uris(const config_override& o) {
        auto uris = split_commas(o.value);
        if (uris.empty()) {
            fail(o, "list one or more LDAP URIs separated by commas");
            return;
        }
        for (const auto& text : uris) {
            const auto uri = ldap::parse_ldap_uri(text);
            if (!uri) {
                fail(o, "\"" + text + "\" is not an LDAP URI, e.g. ldap://127.0.0.1:389");
                return;
            }
            if (c_.ldap.require_ldaps && uri->scheme != ldap::ldap_uri::kind::ldaps) {
                fail(o, "\"" + text + "\": ldap.tls is \"ldaps\", so every URI is ldaps://");
                return;
            }
            if (auto why = plaintext_bind_refusal(c_.ldap, *uri); !why.empty()) {
                fail(o, std::move(why));
                return;
            }
        }
        c_.ldap.uris = std::move(uris);
    }

    config& c_;
    std::vector<config_error>& errors_;
};

}  // namespace

const std::vector<std::string_view>& overridable_keys() {
    static const std::vector<std::string_view> keys = {
        "listen",       "listen.host",        "listen.port",   "ldap.uris",
        "ldap.bind_dn", "ldap.password_file", "logging.level", "logging.format"};
    return keys;
}

std::vector<config_override> environment_overrides(
    const std::function<const char*(const char*)>& getenv) {
    static const std::pair<const char*, const char*> variables[] = {
        {"SCIMLDAP_LISTEN", "listen"},
        {"SCIMLDAP_LDAP_URI", "ldap.uris"},
        {"SCIMLDAP_LDAP_BIND_DN", "ldap.bind_dn"},
        {"SCIMLDAP_LDAP_PASSWORD_FILE", "ldap.password_file"},
        {"SCIMLDAP_LOG_LEVEL", "logging.level"},
        {"SCIMLDAP_LOG_FORMAT", "logging.format"},
    };
    std::vector<config_override> out;
    for (const auto& [variable, key] : variables) {
        const char* value = getenv(variable);
        if (value != nullptr && *value != '\0') {
            out.push_back({key, value, variable});
        }
    }
    return out;
}

boost::system::result<void, std::vector<config_error>> apply_overrides(
    config& c, const std::vector<config_override>& overrides) {
    config copy = c;
    std::vector<config_error> errors;
    applier a(copy, errors);
    for (const auto& o : overrides) {
        a.apply(o);
    }
    if (!errors.empty()) {
        return errors;
    }
    c = std::move(copy);
    return {};
}

}  // namespace scimldap::mapping
