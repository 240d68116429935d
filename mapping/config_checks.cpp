#include "mapping/config_checks.hpp"

#include "base/ascii_case.hpp"
#include "mapping/ldap_syntax.hpp"
#include "mapping/profile.hpp"
#include "mapping/suggest.hpp"

#include <map>

namespace scimldap::mapping {
namespace {

struct named_base {
    std::size_t tenant;
    std::string key;
    const ldap::dn* dn;
};

std::vector<named_base> bases_of(const config& c) {
    std::vector<named_base> out;
    for (std::size_t i = 0; i < c.tenants.size(); ++i) {
        const auto& t = c.tenants[i];
        out.push_back({i, "users_base", &t.users_base});
        out.push_back({i, "groups_base", &t.groups_base});
        out.push_back({i, "roles_base", &t.roles_base});
        if (t.archive_base) {
            out.push_back({i, "archive_base", &*t.archive_base});
        }
    }
    return out;
}

std::string tenant_path(std::size_t i, std::string_view key) {
    return index_path("tenants", i) + "." + std::string(key);
}

// A token reaches only its tenant's subtrees, so no base may equal or contain another
// tenant's base.
void check_overlaps(const config& c, error_list& errors) {
    const auto bases = bases_of(c);
    for (const auto& a : bases) {
        for (const auto& b : bases) {
            if (a.tenant == b.tenant || a.dn->empty() || b.dn->empty() ||
                !dn_is_within(a.dn->str(), b.dn->str())) {
                continue;
            }
            errors.add(tenant_path(a.tenant, a.key),
                       "\"" + a.dn->str() + "\" lies within tenant \"" + c.tenants[b.tenant].name +
                           "\"'s " + b.key + " \"" + b.dn->str() +
                           "\": tenants must have disjoint subtrees, or one tenant's token "
                           "could reach the other's entries");
        }
    }
}

// Inside one tenant: role groups and archived users must not show up as SCIM resources.
void check_within_tenant(const tenant_settings& t, std::size_t i, error_list& errors) {
    const auto inside = [](const ldap::dn& a, const ldap::dn& b) {
        return !a.empty() && !b.empty() && dn_is_within(a.str(), b.str());
    };
    if (inside(t.roles_base, t.groups_base)) {
        errors.add(tenant_path(i, "roles_base"),
                   "roles_base lies within groups_base: role groups would be listed as SCIM "
                   "Groups; give roles their own subtree (e.g. ou=Roles)");
    }
    if (t.archive_base &&
        (inside(*t.archive_base, t.users_base) || inside(*t.archive_base, t.groups_base))) {
        errors.add(tenant_path(i, "archive_base"),
                   "archive_base lies within users_base or groups_base: archived users would "
                   "still be listed; move it outside both");
    }
}

// A token or client opens the tenant it names, so that name must be a tenant's.
void check_tenant_named(const config& c, const std::string& tenant, const std::string& path,
                        error_list& errors) {
    bool known = false;
    std::vector<std::string_view> names;
    for (const auto& t : c.tenants) {
        known = known || t.name == tenant;
        names.push_back(t.name);
    }
    if (!known && !tenant.empty()) {
        errors.add(path, "no tenant is named \"" + tenant + "\"" + did_you_mean(tenant, names) +
                             "; name one of the tenants");
    }
}

}  // namespace

void check_tenants_and_tokens(const config& c, error_list& errors) {
    for (std::size_t i = 0; i < c.tenants.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (!c.tenants[i].name.empty() && c.tenants[i].name == c.tenants[j].name) {
                errors.add(tenant_path(i, "name"), "tenant name \"" + c.tenants[i].name +
                                                       "\" is already used by tenants[" +
                                                       std::to_string(j) + "]; names are unique");
            }
        }
        check_within_tenant(c.tenants[i], i, errors);
    }
    check_overlaps(c, errors);
    for (std::size_t i = 0; i < c.tokens.size(); ++i) {
        const auto& token = c.tokens[i];
        const std::string path = index_path("tokens", i);
        check_tenant_named(c, token.tenant, path + ".tenant", errors);
        for (std::size_t j = 0; j < i; ++j) {
            if (!token.sha256.empty() && token.sha256 == c.tokens[j].sha256) {
                errors.add(path + ".sha256", "the same token hash is already tokens[" +
                                                 std::to_string(j) +
                                                 "]; one token must open one tenant only");
            }
            if (!token.name.empty() && token.name == c.tokens[j].name) {
                errors.add(path + ".name", "token name \"" + token.name +
                                               "\" is already used by tokens[" + std::to_string(j) +
                                               "]; logs could not tell them apart");
            }
        }
        // A SCIM token must not also read the metrics: an IdP holds it.
        if (c.metrics && !token.sha256.empty() && token.sha256 == c.metrics->token_sha256) {
            errors.add("metrics.token_sha256",
                       "is the hash of tokens[" + std::to_string(i) +
                           "]; give metrics a token of their own, never a SCIM token");
        }
    }
}

void check_oauth(const config& c, error_list& errors) {
    if (!c.oauth) {
        return;
    }
    const oauth_settings& o = *c.oauth;
    if (!o.clients.empty() && o.signing_keys.empty()) {
        errors.add("oauth.signing_keys",
                   "OAuth clients need a key to sign their access tokens: add "
                   "{\"id\": \"1\", \"key_file\": \"/etc/scim-ldap-bridge/oauth.key\"} with a "
                   "file of at least 32 random bytes (e.g. `openssl rand -base64 48 > FILE`)");
    }
    for (std::size_t i = 0; i < o.signing_keys.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (!o.signing_keys[i].id.empty() && o.signing_keys[i].id == o.signing_keys[j].id) {
                errors.add(index_path("oauth.signing_keys", i) + ".id",
                           "key id \"" + o.signing_keys[i].id +
                               "\" is already used by oauth.signing_keys[" + std::to_string(j) +
                               "]; a token names its key by id");
            }
        }
    }
    for (std::size_t i = 0; i < o.clients.size(); ++i) {
        const oauth_client_settings& client = o.clients[i];
        const std::string path = index_path("oauth.clients", i);
        check_tenant_named(c, client.tenant, path + ".tenant", errors);
        for (std::size_t j = 0; j < i; ++j) {
            const oauth_client_settings& other = o.clients[j];
            if (!client.client_id.empty() && client.client_id == other.client_id) {
                errors.add(path + ".client_id", "client id \"" + client.client_id +
                                                    "\" is already used by oauth.clients[" +
                                                    std::to_string(j) + "]");
            }
            if (!client.name.empty() && client.name == other.name) {
                errors.add(path + ".name",
                           "client name \"" + client.name + "\" is already used by oauth.clients[" +
                               std::to_string(j) + "]; logs could not tell them apart");
            }
        }
        for (std::size_t j = 0; j < c.tokens.size(); ++j) {
            if (!client.name.empty() && client.name == c.tokens[j].name) {
                errors.add(path + ".name",
                           "\"" + client.name + "\" is already the name of tokens[" +
                               std::to_string(j) + "]; logs could not tell them apart");
            }
        }
    }
}

void check_tenant_profiles(const config& c, error_list& errors) {
    for (std::size_t i = 0; i < c.tenants.size(); ++i) {
        const auto& t = c.tenants[i];
        const auto it = c.profiles.find(t.profile);
        if (it == c.profiles.end()) {
            continue;
        }
        for (const resource_profile* r : it->second->resources()) {
            if (r->deletion.how == delete_settings::mode::archive && !t.archive_base) {
                errors.add(tenant_path(i, "archive_base"),
                           "profile \"" + t.profile + "\" archives deleted " +
                               (r == &it->second->user ? "users" : r->name + " resources") +
                               ": set archive_base to the subtree they move to");
                break;
            }
        }
    }
}

void check_resource_types(const config& c, error_list& errors) {
    // One server serves one route table: a further type's endpoint means the same resource
    // type, handled the same way (with or without members), in every profile that defines it.
    struct seen_type {
        const resource_profile* type;
        std::string profile;
    };
    std::map<std::string, seen_type> by_endpoint;  // lower-cased endpoint
    std::map<std::string, seen_type> by_name;      // lower-cased type name
    for (const auto& [name, p] : c.profiles) {
        for (const auto& r : p->more) {
            const auto [named, new_name] =
                by_name.try_emplace(ascii::to_lower_copy(r.name), seen_type{&r, name});
            if (!new_name && !ascii::iequals(named->second.type->endpoint, r.endpoint)) {
                errors.add("profiles." + name + ".resources." + r.name,
                           r.name + " is served at " + named->second.type->endpoint +
                               " in profile \"" + named->second.profile +
                               "\": one resource type must have one endpoint in every profile");
            }
            const auto [it, fresh] =
                by_endpoint.try_emplace(ascii::to_lower_copy(r.endpoint), seen_type{&r, name});
            const auto& first = *it->second.type;
            if (fresh) {
                continue;
            }
            if (first.name != r.name || first.members.has_value() != r.members.has_value()) {
                errors.add("profiles." + name + ".resources." + r.name,
                           "endpoint " + r.endpoint + " is " + first.name +
                               (first.members ? " (with members)" : "") + " in profile \"" +
                               it->second.profile +
                               "\": one endpoint must be the same resource type in every "
                               "profile; rename one of them or its endpoint");
            }
        }
    }
}

}  // namespace scimldap::mapping
