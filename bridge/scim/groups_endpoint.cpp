#include "bridge/scim/groups_endpoint.hpp"

#include "bridge/ldap/controls.hpp"
#include "bridge/ldap/escape.hpp"
#include "bridge/ldap/filter_builder.hpp"
#include "bridge/scim/conditional_write.hpp"
#include "bridge/scim/directory.hpp"
#include "bridge/scim/group_members.hpp"
#include "bridge/scim/id_lookup.hpp"
#include "bridge/scim/member_reads.hpp"
#include "bridge/scim/request_body.hpp"
#include "bridge/scim/resource_endpoint.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/patch.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"

#include <boost/json.hpp>
#include "bridge/ldap/ascii_case.hpp"
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

/// The current value of the RDN attribute (the displayName), from the DN.
std::optional<std::string> rdn_value_of(const mapping::resource_profile& group,
                                        const ldap::dn& name) {
    const auto parts = ldap::split_dn(name);
    return parts ? ldap::rdn_value(parts->rdn, group.rdn_attribute) : std::nullopt;
}

/// What one write of a group does: attribute changes (from the PATCH engine or a PUT body) and
/// member changes, decided before the group is read.
struct group_change {
    member_changes members;
    /// The attributes the group must have, from its current SCIM view without members; nullopt
    /// when the request changes no attribute.
    std::function<result<std::optional<mapping::desired_entry>>(const json::object&)> attributes;
    /// The entryCSN the change was computed from (PATCH through the engine on a full read):
    /// another version means another read and another try.
    std::optional<std::string> based_on;
};

/// A write in LDAP terms: a rename when displayName changes, then one modify.
struct ldap_write {
    ldap::dn name;
    std::string id;
    std::optional<std::string> new_rdn_value;
    std::vector<ldap::modification> changes;
    std::optional<std::string> assert_csn;  // read-modify-write: the version it was based on
};

class group_behaviour final : public resource_behaviour {
public:
    const mapping::resource_profile& resource(const tenant_view& tenant) const override {
        return tenant.profile->group;
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
            co_return error{errc::invalid_value, "required attribute 'displayName' is missing"};
        }
        drop_members(group, *desired);
        auto ids = body_member_ids(body);
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
            attributes.push_back({group.members->ldap, initial_members(*group.members, *dns)});
        }
        const ldap::dn name =
            ldap::make_child_dn(group.rdn_attribute, desired->rdn_value, dir.base_of(group));
        auto added = co_await dir.add(name, std::move(attributes), "displayName");
        if (!added) {
            co_return added.error();
        }
        auto id = co_await id_of_new_entry(dir, group, name);
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
            return error{errc::invalid_value, "required attribute 'displayName' is missing"};
        }
        drop_members(group, *desired);
        auto ids = body_member_ids(body);
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
        auto split = split_member_operations(group, ops);
        if (!split) {
            co_return split.error();
        }
        if (split->needs_engine || (!split->members.untouched() && !group.members)) {
            co_return co_await patch_through_engine(r, ops, retry);
        }
        group_change change;
        change.members = std::move(split->members);
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
        auto found = co_await find(r, everything.ldap_attributes(group),
                                   mapping::reference_mappings(group, everything));
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
                named_values_filter(group.members->ldap, named, attributes));
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
            co_return error{errc::precondition_failed, "the group changed during the request"};
        }
        for (const auto& a : adds) {
            if (ldap::normalize_dn(a) == ldap::normalize_dn(current.name)) {
                co_return error{errc::invalid_value,
                                "'members' value \"" + id + "\" is the group itself"};
            }
        }

        ldap_write w;
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
        co_return co_await write(dir, group, std::move(w), expected.has_value(), retry);
    }

    /// The value-level member modifications for the group as read.
    asio::awaitable<result<std::vector<ldap::modification>>> member_modifications(
        directory& dir, const mapping::resource_profile& group, const ldap::entry& current,
        bool replacement, const std::vector<ldap::dn>& adds, const std::vector<ldap::dn>& removes,
        bool values_read) {
        const auto& members = *group.members;
        static const std::vector<std::string> none;
        const auto* values = current.find(members.ldap);
        const auto& held = values ? *values : none;
        if (replacement) {
            co_return replacement_modifications(members, held, adds);
        }
        std::vector<std::string> present;
        if (values_read) {
            for (const auto& v : held) {
                present.push_back(ldap::normalize_dn(ldap::dn(v)));
            }
        } else {
            // No matched values control on this server: one compare-style search per named
            // value, still never the whole list.
            std::vector<ldap::dn> named = adds;
            named.insert(named.end(), removes.begin(), removes.end());
            named.push_back(members.placeholder_dn);
            for (const auto& name : named) {
                ldap::search_request request;
                request.base = current.name;
                request.scope = ldap::scope::base;
                request.filter = ldap::filters::equal(members.ldap, name.str());
                auto r = co_await dir.search(std::move(request), "members");
                if (!r) {
                    co_return r.error();
                }
                if (!r->entries.empty()) {
                    present.push_back(ldap::normalize_dn(name));
                }
            }
        }
        co_return delta_modifications(members, adds, removes, present);
    }

    /// Attribute modify (asserting the version read, when computed from it), member modify
    /// (asserting the version the attribute modify left, or the one read), then rename. The
    /// member modify's assertion is the form that is true on every other entry: slapd's memberof
    /// overlay runs its memberOf updates of the members with the request's controls, and a plain
    /// assertion makes them fail and leaves memberOf stale (seen on 2.5.13). The rename carries
    /// none, for the same reason. A taken displayName is found before anything is written.
    asio::awaitable<result<void>> write(directory& dir, const mapping::resource_profile& group,
                                        ldap_write w, bool if_match_given, bool& retry) {
        std::optional<ldap::dn> new_name;
        if (w.new_rdn_value) {
            const auto parts = ldap::split_dn(w.name);
            new_name = ldap::make_child_dn(group.rdn_attribute, *w.new_rdn_value, parts->parent);
            auto taken = co_await name_taken(dir, w.name, *new_name);
            if (!taken) {
                co_return taken.error();
            }
            if (*taken) {
                co_return error{errc::uniqueness, "attribute 'displayName' is already taken: \"" +
                                                      *w.new_rdn_value + "\""};
            }
        }
        std::vector<ldap::modification> attribute_changes;
        std::vector<ldap::modification> member_changes;
        for (auto& c : w.changes) {
            const bool member = group.members && iequals(c.attribute, group.members->ldap);
            (member ? member_changes : attribute_changes).push_back(std::move(c));
        }
        std::optional<std::string> version = w.assert_csn;
        if (!attribute_changes.empty()) {
            std::vector<ldap::control> controls;
            if (version) {
                controls.push_back(assert_version(*version));
                controls.push_back(
                    ldap::controls::post_read(std::vector<std::string>{group.meta.version}));
            }
            auto modified =
                co_await dir.modify(w.name, std::move(attribute_changes), "Group", controls);
            if (!modified) {
                co_return lost_race(modified.error(), if_match_given, retry);
            }
            if (version) {
                const auto after = ldap::controls::parse_read_entry(modified->controls);
                version = after ? after->first(group.meta.version) : std::nullopt;
            }
        }
        if (!member_changes.empty()) {
            std::vector<ldap::control> controls;
            if (version) {
                controls.push_back(assert_version_of(*version, group.id_attribute, w.id));
            }
            auto changes = member_changes;
            auto modified = co_await dir.modify(w.name, std::move(changes), "members", controls);
            if (!modified && modified.error().is(ldap::rc::object_class_violation) &&
                group.members) {
                // The last member left: groupOfNames keeps the placeholder instead.
                keep_placeholder(*group.members, member_changes);
                modified =
                    co_await dir.modify(w.name, std::move(member_changes), "members", controls);
            }
            if (!modified) {
                const error& failed = modified.error();
                if (failed.is(ldap::rc::type_or_value_exists) ||
                    failed.is(ldap::rc::no_such_attribute)) {
                    // A concurrent request added or removed one of the named values since the
                    // pre-check: read and compute again (what was written so far is
                    // idempotent; under If-Match the new read answers 412).
                    retry = true;
                    co_return modified.error();
                }
                co_return lost_race(modified.error(), if_match_given, retry);
            }
        }
        if (w.new_rdn_value) {
            // RFC 7644 §3.5.2 + DESIGN: displayName is the RDN, so a new name is a modrdn; the
            // id (entryUUID) survives it and memberof moves the members' memberOf along.
            std::string new_rdn = ldap::make_rdn(group.rdn_attribute, *w.new_rdn_value);
            const std::optional<ldap::dn> same_parent;
            auto renamed =
                co_await dir.rename(w.name, std::move(new_rdn), same_parent, "displayName");
            if (!renamed) {
                co_return renamed.error();
            }
        }
        co_return result<void>{};
    }

    /// Whether `wanted` names another entry than `current` (a case-only rename is no clash).
    asio::awaitable<result<bool>> name_taken(directory& dir, const ldap::dn& current,
                                             const ldap::dn& wanted) {
        if (ldap::normalize_dn(current) == ldap::normalize_dn(wanted)) {
            co_return false;
        }
        ldap::search_request request;
        request.base = wanted;
        request.scope = ldap::scope::base;
        auto found = co_await dir.search(std::move(request), "displayName");
        if (!found) {
            if (found.error().is(ldap::rc::no_such_object)) {
                co_return false;
            }
            co_return found.error();
        }
        co_return !found->entries.empty();
    }

    const mapping::reference_resolver no_resolver_;
};

}  // namespace

void register_group_routes(router& routes, ldap::operations& backend, endpoint_settings settings) {
    register_resource_routes(
        routes, "/Groups",
        std::make_shared<resource_endpoint>(backend, routes.base_path(), std::move(settings),
                                            std::make_unique<group_behaviour>()));
}

}  // namespace scimldap::scim
