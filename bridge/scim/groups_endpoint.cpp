#include "bridge/scim/groups_endpoint.hpp"

#include "base/escape.hpp"
#include "base/filter_builder.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/group_writes.hpp"
#include "bridge/scim/id_lookup.hpp"
#include "bridge/scim/member_reads.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/resource_endpoint.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/json_keys.hpp"
#include "mapping/member_modifications.hpp"
#include "mapping/patch.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"
#include "mapping/value_delta.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/ldap_syntax.hpp"

#include <functional>

namespace scimldap::scim {
namespace asio = boost::asio;
namespace json = boost::json;
using ascii::iequals;
using mapping::projection;

namespace {

/// Everything but the members: what the PATCH engine and the attribute diff work on.
projection without_members(const mapping::resource_profile& group) {
    return projection::parse(group, "", "members");
}

/// Drops the member attribute from a desired entry: members go through value-level changes.
void drop_members(const mapping::resource_profile& group, mapping::desired_entry& desired) {
    if (group.members) {
        std::erase_if(desired.attributes, [&](const ldap::attribute& a) {
            return iequals(a.name, group.members->ldap);
        });
    }
}

/// The member ids a POST or PUT body sets, normalised as PATCH values are: nullopt when it has no
/// "members" (any case); null is an empty list (RFC 7644: null clears). A profile without
/// members takes none (PUT then answers that members are not mapped).
result<std::optional<std::vector<std::string>>> body_members(const mapping::resource_profile& group,
                                                             const json::value& body) {
    const auto* members =
        body.is_object() ? mapping::find_member(body.get_object(), "members") : nullptr;
    if (members == nullptr) {
        return std::nullopt;
    }
    if (!group.members) {
        return std::vector<std::string>{};
    }
    auto ids = mapping::reference_ids(group, "members", *members);
    if (!ids) {
        return ids.error();
    }
    return std::optional<std::vector<std::string>>(std::move(*ids));
}

/// The current value of the RDN attribute (the displayName), from the DN.
std::optional<std::string> rdn_value_of(const mapping::resource_profile& group,
                                        const ldap::dn& name) {
    const auto parts = ldap::split_dn(name);
    return parts ? ldap::rdn_value(parts->rdn, group.rdn_attribute) : std::nullopt;
}

/// What one write of a group does: attribute changes (from the PATCH engine or a PUT body) and
/// member changes, decided before the group is read.
struct group_change {
    mapping::value_delta members;
    /// The attributes the group must have, from its current SCIM view without members; nullopt
    /// when the request changes no attribute.
    std::function<result<std::optional<mapping::desired_entry>>(const json::object&)> attributes;
    /// The entryCSN the change was computed from (PATCH through the engine on a full read):
    /// another version means another read and another try.
    std::optional<std::string> based_on;
};

class group_behaviour final : public resource_behaviour {
public:
    explicit group_behaviour(std::string type) : type_(std::move(type)) {}

    const mapping::resource_profile* resource(const tenant_view& tenant) const override {
        return tenant.profile->find_resource(type_);
    }

    /// Members are counted first and bounded (member_reads.hpp).
    asio::awaitable<result<std::optional<found_entry>>> find(
        resource_request& r, std::vector<std::string> attributes,
        const std::vector<const mapping::attribute_mapping*>& references) override {
        return find_with_members(r.dir, r.endpoint.settings().reads, r.resource, r.id,
                                 std::move(attributes), references, r.resource.name);
    }

    /// Answering with the group would read every member back, so it comes only when the client
    /// names what it wants.
    patch_reply patch_answer(const tenant_view&) const override { return patch_reply::no_content; }

    // --- create ---------------------------------------------------------------------------

    asio::awaitable<result<std::string>> create(resource_request& r,
                                                const json::value& body) override {
        directory& dir = r.dir;
        const auto& group = r.resource;
        auto desired = mapping::from_resource(group, body);
        if (!desired) {
            co_return desired.error();
        }
        if (desired->rdn_value.empty()) {
            co_return error{errc::invalid_value,
                            "required attribute '" + rdn_name(group) + "' is missing"};
        }
        drop_members(group, *desired);
        auto ids = body_members(group, body);
        if (!ids) {
            co_return ids.error();
        }
        std::vector<ldap::attribute> attributes{{"objectClass", group.object_classes}};
        for (auto& a : desired->attributes) {
            if (!a.values.empty()) {
                attributes.push_back(a);
            }
        }
        std::size_t initial_count = 0;
        if (group.members) {
            const std::vector<std::string> none;
            const auto& wanted = *ids ? **ids : none;
            auto dns = co_await require_member_dns(dir, *group.members, wanted);
            if (!dns) {
                co_return dns.error();
            }
            initial_count = dns->size();
            // groupOfNames needs a member: an empty group holds the placeholder.
            attributes.push_back(
                {group.members->ldap, mapping::initial_members(*group.members, *dns)});
        }
        const ldap::dn name =
            ldap::make_child_dn(group.rdn_attribute, desired->rdn_value, dir.base_of(group));
        auto added = co_await dir.add(name, std::move(attributes), "displayName");
        if (!added) {
            co_return added.error();
        }
        auto id = co_await dir.id_of_new_entry(group, name);
        if (id && initial_count <= short_member_list) {
            // Its read-back (and the IdP's next reads) need not wait for a turn to count.
            r.endpoint.settings().reads.short_lists->remember(r.ctx.tenant.name, *id);
        }
        co_return id;
    }

    // --- PUT and PATCH --------------------------------------------------------------------

    /// PUT: the body is the whole group. Members are replaced when the body has "members"
    /// ([] or null empties the group) and left as they are when it has none, so a PUT of the
    /// name alone cannot silently empty a large group.
    static result<group_change> replacement_of(const mapping::resource_profile& group,
                                               const json::value& body) {
        auto desired = mapping::from_resource(group, body);
        if (!desired) {
            return desired.error();
        }
        if (desired->rdn_value.empty()) {
            return error{errc::invalid_value,
                         "required attribute '" + rdn_name(group) + "' is missing"};
        }
        drop_members(group, *desired);
        auto ids = body_members(group, body);
        if (!ids) {
            return ids.error();
        }
        group_change change;
        if (*ids) {
            change.members.replace(**ids);
        }
        change.attributes =
            [d = std::move(*desired)](
                const json::object&) -> result<std::optional<mapping::desired_entry>> {
            return std::optional<mapping::desired_entry>(d);
        };
        return change;
    }

    asio::awaitable<result<void>> replace(resource_request& r, const json::value& body,
                                          bool& retry) override {
        auto change = replacement_of(r.resource, body);
        if (!change) {
            co_return change.error();
        }
        co_return co_await modify_group(r, *change, retry);
    }

    asio::awaitable<result<void>> patch(resource_request& r,
                                        const std::vector<mapping::patch_operation>& ops,
                                        bool& retry) override {
        const auto& group = r.resource;
        auto split = mapping::split_patch(group, ops, "members");
        if (!split) {
            co_return split.error();
        }
        if (split->needs_values) {
            co_return co_await patch_through_engine(r, ops, retry);
        }
        group_change change;
        change.members = std::move(split->deferred);
        if (!split->others.empty()) {
            change.attributes =
                [&group, others = std::move(split->others)](
                    const json::object& current) -> result<std::optional<mapping::desired_entry>> {
                auto patched = mapping::apply_patch(group, current, others);
                if (!patched) {
                    return patched.error();
                }
                const json::value as_value(std::move(*patched));
                auto desired = mapping::from_resource(group, as_value);
                if (!desired) {
                    return desired.error();
                }
                drop_members(group, *desired);
                return std::optional<mapping::desired_entry>(std::move(*desired));
            };
        }
        co_return co_await modify_group(r, change, retry);
    }

private:
    /// Member operations only the engine understands (`members[display co "x"]`, sub-attribute
    /// paths): the engine runs on the whole group, members included, and the result becomes a
    /// replacement of the member list (still sent as value-level changes).
    asio::awaitable<result<void>> patch_through_engine(
        resource_request& r, const std::vector<mapping::patch_operation>& ops, bool& retry) {
        const auto& group = r.resource;
        const projection everything;
        // The engine needs the whole member list: bounded like a GET.
        auto attributes = everything.ldap_attributes(group);
        const auto references = mapping::reference_mappings(group, everything);
        auto found = co_await find(r, std::move(attributes), references);
        if (!found) {
            co_return found.error();
        }
        if (!*found) {
            co_return not_found(group, r.id);
        }
        const auto resolver = (*found)->resolver();
        const std::string url = r.endpoint.base_url(r.ctx);
        const mapping::read_context rc{everything, url, resolver};
        auto patched =
            mapping::apply_patch(group, mapping::to_resource(group, (*found)->entry, rc), ops);
        if (!patched) {
            co_return patched.error();
        }
        const json::value as_value(std::move(*patched));
        auto change = replacement_of(group, as_value);
        if (!change) {
            co_return change.error();
        }
        if (!change->members.is_replacement()) {
            change->members.replace({});  // the engine removed the whole attribute
        }
        change->based_on = (*found)->entry.first(group.meta.version).value_or("");
        co_return co_await modify_group(r, *change, retry);
    }

    /// Reads the group (only what the change needs), computes the LDAP changes and writes them.
    /// A delta of members reads just the named member values (matched values control), so
    /// adding one member to a group of 100,000 reads one value and sends one small modify.
    asio::awaitable<result<void>> modify_group(resource_request& r, const group_change& change,
                                               bool& retry) {
        retry = false;
        directory& dir = r.dir;
        const auto& group = r.resource;
        const std::string& id = r.id;
        const auto& mc = change.members;
        if (!mc.untouched() && !group.members) {
            co_return error{errc::invalid_path, "'members' is not mapped on this server"};
        }
        // Ids → DNs first: an unknown id is 400 before anything is read or written.
        std::vector<ldap::dn> adds;
        std::vector<ldap::dn> removes;
        if (!mc.untouched()) {
            auto dns = co_await require_member_dns(dir, *group.members, mc.added());
            if (!dns) {
                co_return dns.error();
            }
            adds = std::move(*dns);
            if (!mc.removed().empty()) {
                // Removing an id that names nothing removes nothing (IdPs retry removals of
                // users they already deleted).
                auto known = co_await find_dns_by_id(dir, group.members->types, mc.removed());
                if (!known) {
                    co_return known.error();
                }
                for (const auto& [ignored, name] : *known) {
                    removes.push_back(name);
                }
            }
        }
        const bool delta =
            !mc.untouched() && !mc.is_replacement() && (!adds.empty() || !removes.empty());
        const bool full_list = mc.is_replacement() && !adds.empty();
        const bool use_matched_values = delta && dir.offers_control(ldap::oids::matched_values);

        const auto base_fields = without_members(group);
        std::vector<std::string> attributes = base_fields.ldap_attributes(group);
        std::vector<ldap::control> controls;
        if (use_matched_values) {
            std::vector<ldap::dn> named = adds;
            named.insert(named.end(), removes.begin(), removes.end());
            named.push_back(group.members->placeholder_dn);
            auto mv = ldap::controls::matched_values(
                mapping::named_values_filter(group.members->ldap, named, attributes));
            if (!mv) {
                co_return error{errc::internal, "cannot encode the matched values control"};
            }
            controls.push_back(std::move(*mv));
        }
        if (use_matched_values || full_list) {
            attributes.push_back(group.members->ldap);
        }
        auto found =
            co_await dir.read_by_id(group, id, std::move(attributes), std::move(controls), "Group");
        if (!found) {
            co_return found.error();
        }
        if (!*found) {
            co_return not_found(group, id);
        }
        const ldap::entry& current = **found;
        if (auto ok = check_if_match(r.ctx, group, current); !ok) {
            co_return ok.error();
        }
        const std::string csn = current.first(group.meta.version).value_or("");
        const auto expected = if_match(r.ctx);
        if (change.based_on && *change.based_on != csn) {
            retry = !expected;  // changed since the engine's read: read and patch again
            if (retry) {
                count_write_retry("version_changed");
            }
            co_return error{errc::precondition_failed, "the group changed during the request"};
        }
        for (const auto& a : adds) {
            if (ldap::normalize_dn(a) == ldap::normalize_dn(current.name)) {
                co_return error{errc::invalid_value,
                                "'members' value \"" + id + "\" is the group itself"};
            }
        }

        group_write w;
        w.name = current.name;
        w.id = id;
        bool attributes_changed = false;
        if (change.attributes) {
            const std::string url = r.endpoint.base_url(r.ctx);
            const mapping::read_context rc{base_fields, url, no_resolver_};
            auto desired = change.attributes(mapping::to_resource(group, current, rc));
            if (!desired) {
                co_return desired.error();
            }
            if (*desired) {
                w.changes =
                    mapping::diff_entry(current, (*desired)->attributes, group.rdn_attribute);
                const auto old_rdn = rdn_value_of(group, current.name);
                if (!(*desired)->rdn_value.empty() && old_rdn &&
                    *old_rdn != (*desired)->rdn_value) {
                    w.new_rdn_value = (*desired)->rdn_value;
                }
                attributes_changed = !w.changes.empty() || w.new_rdn_value;
            }
        }
        if (!mc.untouched()) {
            auto member_mods = co_await member_modifications(
                dir, group, current, mc.is_replacement(), adds, removes, use_matched_values);
            if (!member_mods) {
                co_return member_mods.error();
            }
            w.changes.insert(w.changes.end(), member_mods->begin(), member_mods->end());
        }
        if (w.changes.empty() && !w.new_rdn_value) {
            co_return result<void>{};  // nothing changes (a retried add, Okta's rename to the same
                                       // name)
        }
        // Changes computed from the values read must meet the version they were computed from
        // (RFC 4528): attribute changes, a whole new member list, anything under If-Match. A
        // member delta without If-Match is value-level and carries no assertion.
        if (expected || attributes_changed || change.based_on || mc.is_replacement()) {
            w.assert_csn = csn;
        }
        co_return co_await write_group(dir, group, std::move(w), expected.has_value(), retry);
    }

    const mapping::reference_resolver no_resolver_;
    std::string type_;
};

}  // namespace

void register_member_routes(router& routes, ldap::operations& backend, endpoint_settings settings,
                            const std::string& type, const std::string& endpoint) {
    register_resource_routes(
        routes, endpoint,
        std::make_shared<resource_endpoint>(backend, routes.base_path(), std::move(settings),
                                            std::make_unique<group_behaviour>(type)));
}

void register_group_routes(router& routes, ldap::operations& backend, endpoint_settings settings) {
    register_member_routes(routes, backend, std::move(settings), "Group", "/Groups");
}

}  // namespace scimldap::scim
