#include "bridge/scim/directory.hpp"

#include "base/escape.hpp"
#include "base/filter_builder.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/group_names.hpp"
#include "bridge/scim/ldap_error_map.hpp"
#include "mapping/id_filter.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include "base/ascii_case.hpp"
#include "mapping/ldap_syntax.hpp"

namespace scimldap::scim {
namespace asio = boost::asio;
namespace {

using ascii::iequals;

/// Which resource type of this tenant a DN is, by where it lies; empty when neither.
std::string classify(const tenant_view& t, const ldap::dn& name) {
    if (ldap::is_within(name, t.users_base)) {
        return "User";
    }
    if (ldap::is_within(name, t.groups_base)) {
        return "Group";
    }
    return "";
}

bool allows(const mapping::attribute_mapping& m, std::string_view type) {
    if (m.reference_types.empty()) {
        return true;
    }
    return std::any_of(m.reference_types.begin(), m.reference_types.end(),
                       [&](const std::string& t) { return iequals(t, type); });
}

/// What a reference's `display` is read from, first present wins.
constexpr std::array<std::string_view, 2> display_attributes{"displayName", "cn"};

std::string display_of(const std::vector<ldap::attribute>& attributes) {
    for (const auto name : display_attributes) {
        for (const auto& a : attributes) {
            if (iequals(a.name, name) && !a.values.empty()) {
                return a.values.front();
            }
        }
    }
    return "";
}

std::optional<std::string> value_of(const std::vector<ldap::attribute>& attributes,
                                    std::string_view name) {
    for (const auto& a : attributes) {
        if (iequals(a.name, name) && !a.values.empty()) {
            return a.values.front();
        }
    }
    return std::nullopt;
}

template <class T>
int code_of(const ldap::result<T>& r) {
    return r ? 0 : r.error().result_code();
}

/// User.groups: references that name groups only, resolved from group_names, never by
/// dereferencing (that loads each group entry with all its members).
bool names_groups(const mapping::attribute_mapping& m) {
    return m.kind == mapping::behaviour::groups;
}

/// The group_names key of an entry the bridge writes, when it lies in the tenant's groups.
std::optional<std::string> group_key(const tenant_view& t, const ldap::dn& name) {
    if (!ldap::is_within(name, t.groups_base)) {
        return std::nullopt;
    }
    return ldap::normalize_dn(name);
}

void forget_group(const std::optional<std::string>& key) {
    if (key) {
        group_names::shared().forget(*key);
    }
}

}  // namespace

mapping::reference_resolver found_entry::resolver() const {
    return [this](const ldap::dn& name) -> const mapping::resolved_reference* {
        const auto it = references.find(ldap::normalize_dn(name));
        return it == references.end() ? nullptr : &it->second;
    };
}

const ldap::dn& directory::base_of(const mapping::resource_profile& resource) const {
    return mapping::base_dn(resource.base, tenant_.users_base, tenant_.groups_base,
                            tenant_.roles_base);
}

result<ldap::search_result> directory::map(ldap::result<ldap::search_result>&& r,
                                           std::string_view operation, std::string_view what) {
    if (r) {
        return std::move(*r);  // the entries move on; a copy was a third of the reads' allocations
    }
    return from_ldap(r.error(), {operation, what});
}

result<ldap::write_result> directory::map(ldap::result<ldap::write_result>&& r,
                                          std::string_view operation, std::string_view what) {
    if (r) {
        return std::move(*r);  // the entries move on; a copy was a third of the reads' allocations
    }
    return from_ldap(r.error(), {operation, what});
}

asio::awaitable<result<ldap::search_result>> directory::search(ldap::search_request request,
                                                               std::string_view what) {
    ++ops_;
    request.from_replica = request.from_replica || replica_reads_;
    // Named results: g++ 12 mishandles temporaries inside co_await expressions.
    auto r = co_await backend_.search(std::move(request));
    co_return map(std::move(r), "read", what);
}

asio::awaitable<result<void>> directory::search_pages(
    ldap::search_request request, int page_size, std::string_view what,
    const std::function<void(std::vector<ldap::entry>&)>& consume) {
    ++ops_;
    auto pinned = co_await backend_.session();
    if (!pinned) {
        const auto e = pinned.error();
        co_return from_ldap(e, {"read", what});
    }
    const auto base_controls = request.controls;
    std::string cookie;
    do {
        auto paged = ldap::controls::paged_results(page_size, cookie);
        if (!paged) {
            co_return error{errc::internal, "cannot encode the paged results control"};
        }
        request.controls = base_controls;
        request.controls.push_back(std::move(*paged));
        ++ops_;
        auto this_page = request;
        auto raw = co_await (*pinned)->search(std::move(this_page));
        auto page = map(std::move(raw), "read", what);
        if (!page) {
            co_return page.error();
        }
        consume(page->entries);
        auto next = ldap::controls::parse_paged_results(page->controls);
        cookie = next ? next->cookie : std::string();
    } while (!cookie.empty());
    co_return result<void>{};
}

void directory::count_write() {
    ++ops_;
    if (writes_ != nullptr) {
        ++*writes_;
    }
}

template <class Record>
std::optional<std::size_t> directory::audit_begin(Record record) const {
    if (audit_ == nullptr || !audit_->is_open()) {
        return std::nullopt;
    }
    return record(*audit_);
}

void directory::audit_end(std::optional<std::size_t> index, int ldap_code) const {
    if (index) {
        audit_->finish(*index, ldap_code);
    }
}

asio::awaitable<result<ldap::write_result>> directory::add(
    ldap::dn name, std::vector<ldap::attribute> attributes, std::string_view what,
    const std::vector<ldap::control>& controls) {
    count_write();
    auto copy = controls;
    const auto audited = audit_begin([&](audit_trail& a) { return a.add(name, attributes); });
    const auto group = group_key(tenant_, name);
    auto r = co_await backend_.add(std::move(name), std::move(attributes), std::move(copy));
    forget_group(group);
    audit_end(audited, code_of(r));
    co_return map(std::move(r), "create", what);
}

asio::awaitable<result<ldap::write_result>> directory::modify(
    ldap::dn name, std::vector<ldap::modification> changes, std::string_view what,
    const std::vector<ldap::control>& controls) {
    count_write();
    auto copy = controls;
    const auto audited = audit_begin([&](audit_trail& a) { return a.modify(name, changes); });
    // Member changes leave a group's id and name as they are: only a changed name forgets it.
    const bool renames = std::any_of(changes.begin(), changes.end(), [](const auto& c) {
        return std::any_of(display_attributes.begin(), display_attributes.end(),
                           [&](std::string_view a) { return iequals(c.attribute, a); });
    });
    const auto group = renames ? group_key(tenant_, name) : std::nullopt;
    auto r = co_await backend_.modify(std::move(name), std::move(changes), std::move(copy));
    forget_group(group);
    audit_end(audited, code_of(r));
    co_return map(std::move(r), "modify", what);
}

asio::awaitable<result<ldap::write_result>> directory::rename(
    ldap::dn name, std::string new_rdn, std::optional<ldap::dn> new_superior, std::string_view what,
    const std::vector<ldap::control>& controls) {
    count_write();
    auto copy = controls;
    const auto audited =
        audit_begin([&](audit_trail& a) { return a.rename(name, new_rdn, new_superior); });
    const auto group = group_key(tenant_, name);
    auto r = co_await backend_.rename(std::move(name), std::move(new_rdn), std::move(new_superior),
                                      true, std::move(copy));
    forget_group(group);
    audit_end(audited, code_of(r));
    co_return map(std::move(r), "rename", what);
}

asio::awaitable<result<ldap::write_result>> directory::remove(ldap::dn name,
                                                              std::string_view what) {
    count_write();
    const auto audited = audit_begin([&](audit_trail& a) { return a.remove(name); });
    const auto group = group_key(tenant_, name);
    auto r = co_await backend_.remove(std::move(name));
    forget_group(group);
    audit_end(audited, code_of(r));
    co_return map(std::move(r), "delete", what);
}

asio::awaitable<result<void>> directory::set_password(const mapping::resource_profile& resource,
                                                      const ldap::dn& name,
                                                      const std::string& password) {
    count_write();
    std::string oid(ldap::oids::password_modify);
    std::optional<std::string> value =
        ldap::extended_values::password_modify(name, std::nullopt, password);
    const auto audited = audit_begin([&](audit_trail& a) {
        return a.password(name, resource.password ? resource.password->ldap : "userPassword");
    });
    auto r = co_await backend_.extended(std::move(oid), std::move(value));
    audit_end(audited, code_of(r));
    if (!r) {
        co_return from_ldap(r.error(), {"set the password of", "password"});
    }
    co_return result<void>{};
}

ldap::search_request directory::by_id(const mapping::resource_profile& resource,
                                      std::string_view id,
                                      const std::optional<ldap::filter>& also) const {
    ldap::search_request request;
    request.base = base_of(resource);
    request.scope = ldap::scope::sub;
    request.filter = mapping::id_filter(resource, id, also);
    request.size_limit = 2;
    return request;
}

asio::awaitable<result<std::optional<ldap::entry>>> directory::read_by_id(
    const mapping::resource_profile& resource, std::string_view id,
    std::vector<std::string> attributes, std::vector<ldap::control> controls,
    std::string_view what) {
    if (!mapping::may_name_entry(resource, id)) {
        co_return std::optional<ldap::entry>{};
    }
    ldap::search_request request = by_id(resource, id);
    request.attributes = std::move(attributes);
    request.controls = std::move(controls);
    auto found = co_await search(std::move(request), what);
    if (!found) {
        co_return found.error();
    }
    if (found->entries.empty()) {
        co_return std::optional<ldap::entry>{};
    }
    if (audit_ != nullptr) {
        audit_->found(found->entries.front().name, id);
    }
    co_return std::optional<ldap::entry>(std::move(found->entries.front()));
}

asio::awaitable<result<std::optional<found_entry>>> directory::find_by_id(
    const mapping::resource_profile& resource, std::string_view id,
    std::vector<std::string> attributes,
    const std::vector<const mapping::attribute_mapping*>& references, std::string_view what) {
    std::vector<ldap::control> controls;
    if (auto c = deref_control(resource, references)) {
        controls.push_back(std::move(*c));
    }
    auto found =
        co_await read_by_id(resource, id, std::move(attributes), std::move(controls), what);
    if (!found) {
        co_return found.error();
    }
    if (!*found) {
        co_return std::optional<found_entry>{};
    }
    found_entry out{std::move(**found), {}};
    auto refs = co_await resolve_dns(out.entry, references);
    if (!refs) {
        co_return refs.error();
    }
    out.references = std::move(*refs);
    co_return std::optional<found_entry>(std::move(out));
}

asio::awaitable<result<std::optional<std::size_t>>> directory::count_member_values(
    const mapping::resource_profile& resource, std::string_view id, std::string_view what) {
    using count = std::optional<std::size_t>;
    if (!mapping::may_name_entry(resource, id)) {
        co_return count{};
    }
    const std::string& attribute = resource.members->ldap;
    ldap::search_request request = by_id(resource, id);
    request.attributes = {attribute};
    request.count_values = true;
    auto found = co_await search(std::move(request), what);
    if (!found) {
        co_return found.error();
    }
    if (found->entries.empty()) {
        co_return count{};
    }
    std::size_t values = 0;
    for (const auto& a : found->entries.front().attributes) {
        if (iequals(a.name, attribute)) {
            values += a.value_count;
        }
    }
    co_return count{values};
}

asio::awaitable<result<bool>> directory::holds_placeholder(
    const mapping::resource_profile& resource, std::string_view id, std::string_view what) {
    const auto& placeholder = resource.members->placeholder_dn;
    if (placeholder.empty()) {
        co_return false;
    }
    auto found = co_await search(
        by_id(resource, id, ldap::filters::equal(resource.members->ldap, placeholder.str())), what);
    if (!found) {
        co_return found.error();
    }
    co_return !found->entries.empty();
}

std::optional<ldap::control> directory::deref_control(
    const mapping::resource_profile& resource,
    const std::vector<const mapping::attribute_mapping*>& references) const {
    if (references.empty() || !offers_control(ldap::oids::deref)) {
        return std::nullopt;
    }
    std::vector<ldap::controls::deref_spec> specs;
    for (const auto* m : references) {
        if (names_groups(*m)) {
            continue;
        }
        const bool seen = std::any_of(specs.begin(), specs.end(), [&](const auto& s) {
            return iequals(s.deref_attribute, m->ldap);
        });
        if (!seen) {
            specs.push_back({m->ldap, {resource.id_attribute, "displayName", "cn"}});
        }
    }
    if (specs.empty()) {
        return std::nullopt;
    }
    auto c = ldap::controls::deref(specs);
    if (!c) {
        return std::nullopt;
    }
    return std::move(*c);
}

asio::awaitable<result<std::vector<found_entry>>> directory::find_by_ids(
    const mapping::resource_profile& resource, const std::vector<std::string>& ids,
    std::vector<std::string> attributes,
    const std::vector<const mapping::attribute_mapping*>& references, std::string_view what) {
    std::vector<found_entry> out;
    // Batches stay far below the server's size limit (slapd: 500 for non-root binds).
    constexpr std::size_t batch = 200;
    for (std::size_t start = 0; start < ids.size(); start += batch) {
        const std::span<const std::string> some(ids.data() + start,
                                                std::min(ids.size() - start, batch));
        ldap::search_request request;
        request.base = base_of(resource);
        request.scope = ldap::scope::sub;
        request.filter = mapping::ids_filter(resource, some);
        request.attributes = attributes;
        if (auto c = deref_control(resource, references)) {
            request.controls.push_back(std::move(*c));
        }
        auto found = co_await search(std::move(request), what);
        if (!found) {
            co_return found.error();
        }
        for (auto& e : found->entries) {
            found_entry f{std::move(e), {}};
            auto refs = co_await resolve_dns(f.entry, references);
            if (!refs) {
                co_return refs.error();
            }
            f.references = std::move(*refs);
            out.push_back(std::move(f));
        }
    }
    co_return out;
}

asio::awaitable<result<std::map<std::string, mapping::resolved_reference>>> directory::resolve_dns(
    const ldap::entry& entry, const std::vector<const mapping::attribute_mapping*>& references) {
    std::map<std::string, mapping::resolved_reference> out;
    bool dereferenced = false;
    if (ldap::find_control(entry.controls, ldap::oids::deref) != nullptr) {
        auto values = ldap::controls::parse_deref(entry.controls);
        dereferenced = values.has_value();  // else each is read below
        if (values) {
            for (const auto& v : *values) {
                if (const auto* m = mapping_named(references, v.deref_attribute)) {
                    accept_reference(out, *m, v.name, v.attributes);
                }
            }
        }
    }
    for (const auto* m : references) {
        if (!names_groups(*m) && dereferenced) {
            continue;
        }
        const auto* dns = entry.find(m->ldap);
        if (dns == nullptr) {
            continue;
        }
        for (const auto& raw : *dns) {
            auto done = co_await resolve_one(out, *m, ldap::dn(raw));
            if (!done) {
                co_return done.error();
            }
        }
    }
    co_return out;
}

const mapping::attribute_mapping* directory::mapping_named(
    const std::vector<const mapping::attribute_mapping*>& references, std::string_view attribute) {
    for (const auto* m : references) {
        if (iequals(m->ldap, attribute)) {
            return m;
        }
    }
    return nullptr;
}

void directory::accept_reference(std::map<std::string, mapping::resolved_reference>& out,
                                 const mapping::attribute_mapping& m, const ldap::dn& name,
                                 const std::vector<ldap::attribute>& attributes) const {
    const std::string type = classify(tenant_, name);
    const auto id = value_of(attributes, "entryUUID");
    if (type.empty() || !allows(m, type) || !id) {
        return;  // outside this tenant, or not a kind this attribute may reference
    }
    out[ldap::normalize_dn(name)] = {*id, display_of(attributes), type};
}

asio::awaitable<result<void>> directory::resolve_one(
    std::map<std::string, mapping::resolved_reference>& out, const mapping::attribute_mapping& m,
    const ldap::dn& name) {
    const std::string type = classify(tenant_, name);
    if (type.empty() || !allows(m, type)) {
        co_return result<void>{};
    }
    const bool cached = names_groups(m);
    const std::string key = ldap::normalize_dn(name);
    if (cached) {
        if (auto known = group_names::shared().find(key)) {
            out[key] = {std::move(known->id), std::move(known->display), type};
            co_return result<void>{};
        }
    }
    // One base-scope read per DN: a group not named for a second, or a reference on a server
    // without slapd's deref.
    const std::uint64_t read_at = group_names::shared().generation();
    ldap::search_request request;
    request.base = name;
    request.scope = ldap::scope::base;
    request.attributes = {"entryUUID", "displayName", "cn"};
    auto r = co_await search(std::move(request), m.scim.name);
    if (!r) {
        if (r.error().is(ldap::rc::no_such_object)) {  // a dangling reference is left out
            co_return result<void>{};
        }
        co_return r.error();
    }
    if (r->entries.empty()) {
        co_return result<void>{};
    }
    const auto& attributes = r->entries.front().attributes;
    accept_reference(out, m, name, attributes);
    const auto it = out.find(key);
    if (cached && it != out.end()) {
        group_names::shared().store(key, {it->second.id, it->second.display}, read_at);
    }
    co_return result<void>{};
}

asio::awaitable<result<std::vector<ldap::dn>>> directory::dns_of_ids(
    const std::vector<std::string>& ids, const std::vector<std::string>& types,
    std::string_view attribute) {
    std::vector<ldap::dn> out(ids.size());
    std::vector<bool> found(ids.size(), false);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!mapping::is_uuid(ids[i])) {
            co_return error{errc::invalid_value, "'" + std::string(attribute) + "' value \"" +
                                                     ids[i] + "\" is not an id of this tenant"};
        }
    }
    for (const auto& type : types) {
        const bool user = iequals(type, "User");
        const auto& resource = user ? tenant_.profile->user : tenant_.profile->group;
        std::vector<std::string> missing;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!found[i]) {
                missing.push_back(ids[i]);
            }
        }
        if (missing.empty()) {
            break;
        }
        ldap::search_request request;
        request.base = user ? tenant_.users_base : tenant_.groups_base;
        // Reference values are entryUUIDs whatever the profile's id attribute (resolve_dns
        // reads them back the same way).
        request.filter = mapping::ids_filter(resource, "entryUUID", missing);
        request.attributes = {"entryUUID"};
        auto r = co_await search(std::move(request), attribute);
        if (!r) {
            co_return r.error();
        }
        for (const auto& e : r->entries) {
            const auto uuid = e.first("entryUUID");
            for (std::size_t i = 0; uuid && i < ids.size(); ++i) {
                if (!found[i] && iequals(ids[i], *uuid)) {
                    out[i] = e.name;
                    found[i] = true;
                }
            }
        }
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!found[i]) {
            co_return error{errc::invalid_value, "'" + std::string(attribute) + "' value \"" +
                                                     ids[i] + "\" is not an id of this tenant"};
        }
    }
    co_return out;
}

asio::awaitable<result<void>> directory::resolve_reference_ids(mapping::desired_entry& desired) {
    for (const auto& ref : desired.references) {
        if (ref.ids.empty()) {
            continue;
        }
        const std::string path = ref.mapping->scim.to_string("");
        auto dns = co_await dns_of_ids(ref.ids, ref.mapping->reference_types, path);
        if (!dns) {
            co_return dns.error();
        }
        for (auto& a : desired.attributes) {
            if (iequals(a.name, ref.mapping->ldap)) {
                for (const auto& d : *dns) {
                    a.values.push_back(d.str());
                }
            }
        }
    }
    co_return result<void>{};
}

asio::awaitable<result<std::string>> directory::id_of_new_entry(
    const mapping::resource_profile& resource, const ldap::dn& name) {
    ldap::search_request request;
    request.base = name;
    request.scope = ldap::scope::base;
    request.attributes = {resource.id_attribute};
    auto r = co_await search(std::move(request), resource.name);
    if (!r) {
        co_return r.error();
    }
    const auto id =
        r->entries.empty() ? std::nullopt : r->entries.front().first(resource.id_attribute);
    if (!id) {
        co_return error{errc::internal,
                        "the new entry " + name.str() + " has no " + resource.id_attribute};
    }
    if (audit_ != nullptr) {
        audit_->created(name, *id);
    }
    co_return *id;
}

}  // namespace scimldap::scim
