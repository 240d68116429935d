#include "mapping/profile_loader.hpp"

#include "base/filter_builder.hpp"

#include "mapping/json_reader.hpp"
#include "mapping/ldap_syntax.hpp"
#include "mapping/mapping_key.hpp"
#include "mapping/profile_checks.hpp"
#include "mapping/suggest.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

const std::vector<std::string_view> mapping_keys = {
    "scim",    "ldap",        "type",     "multi_valued", "required",         "case_exact",
    "primary", "mutability",  "returned", "uniqueness",   "canonical_values", "reference_types",
    "pattern", "description", "secret"};

// RFC 8141 NID plus a non-empty rest; SCIM schema URNs also never end in ':'.
bool is_valid_urn(std::string_view urn) {
    static const std::regex pattern(R"(urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:[^\s:][^\s]*)",
                                    std::regex::icase);
    return std::regex_match(urn.begin(), urn.end(), pattern) && urn.back() != ':';
}

template <class E>
std::optional<E> read_enum(const object_reader& r, std::string_view key,
                           std::optional<E> (*parse)(std::string_view),
                           const std::vector<std::string_view>& allowed) {
    const auto text = r.string(key);
    if (!text) {
        return std::nullopt;
    }
    const auto value = parse(*text);
    if (!value) {
        std::string list;
        for (const auto a : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(a);
        }
        r.error(key, "unknown " + std::string(key) + " \"" + *text + "\"" +
                         did_you_mean(*text, allowed) + "; use one of " + list);
    }
    return value;
}

void check_ldap_name(const object_reader& r, std::string_view key, const std::string& name) {
    if (!is_valid_attribute_description(name)) {
        r.error(key, "\"" + name +
                         "\" is not an LDAP attribute name: letters, digits and '-', starting "
                         "with a letter (or a numeric OID)");
    }
}

class loader {
public:
    explicit loader(error_list& errors) : errors_(errors) {}

    std::shared_ptr<profile> read(const json::value& root) {
        auto p = std::make_shared<profile>();
        object_reader r(root, "", errors_, {"$schema", "name", "description", "resources"});
        p->name = r.string("name", true).value_or("");
        p->description = r.string("description").value_or("");
        const auto* resources = r.object("resources", true);
        if (resources == nullptr) {
            return p;
        }
        // Every key is a resource type: User, Group, and further ones named like them.
        std::vector<std::string_view> names;
        if (resources->is_object()) {
            for (const auto& kv : resources->get_object()) {
                names.push_back(kv.key());
            }
        }
        object_reader res(*resources, "resources", errors_, names);
        if (const auto* user = res.object("User", true)) {
            read_resource(*user, "resources.User", "User", p->user);
        }
        if (const auto* group = res.object("Group", true)) {
            read_resource(*group, "resources.Group", "Group", p->group);
        }
        for (const auto name : names) {
            if (name == "User" || name == "Group" || name == "$comment") {
                continue;
            }
            const std::string path = join_path("resources", name);
            if (!check_resource_name(res, name)) {
                continue;
            }
            if (p->find_resource(name) != nullptr) {
                // Names are case-insensitive (RFC 7643 §2.1): "DEVICE" would never be reached.
                res.error(name, "\"" + std::string(name) +
                                    "\" differs from another resource type's name only in case");
                continue;
            }
            if (const auto* v = res.object(name, true)) {
                read_resource(*v, path, name, p->more.emplace_back());
            }
        }
        return p;
    }

private:
    /// A further resource type's name: it becomes the ResourceType id and the `type` of its
    /// references, so it is a plain word, and not another spelling of one already defined.
    bool check_resource_name(const object_reader& res, std::string_view name) {
        if (const auto meant = closest_match(name, {"User", "Group"})) {
            res.error(name, "unknown key \"" + std::string(name) + "\"; did you mean \"" + *meant +
                                "\"? (a further resource type needs a name of its own)");
            return false;
        }
        static const std::regex word("[A-Z][A-Za-z0-9]{0,63}");
        if (!std::regex_match(name.begin(), name.end(), word)) {
            res.error(name,
                      "a resource type's name is a word starting with a capital letter, "
                      "e.g. \"Device\"");
            return false;
        }
        for (const auto taken : {"User", "Group", "Schema", "ResourceType", "ServiceProviderConfig",
                                 "Bulk", "Me", "SearchRequest"}) {
            if (ascii::iequals(name, taken)) {
                res.error(name, "\"" + std::string(taken) +
                                    "\" is a SCIM resource name already; name this type "
                                    "differently");
                return false;
            }
        }
        return true;
    }

    /// What a section may hold: every type has the common keys; User has the user sections,
    /// Group and further types may have members; a further type names its endpoint.
    static std::vector<std::string_view> section_keys(std::string_view type) {
        std::vector<std::string_view> keys = {"schema",         "extensions",    "base",
                                              "object_classes", "search_filter", "rdn_attribute",
                                              "id_attribute",   "attributes",    "templates",
                                              "delete",         "meta"};
        if (type == "User") {
            keys.insert(keys.end(), user_sections.begin(), user_sections.end());
        } else {
            keys.push_back("members");
        }
        if (type != "User" && type != "Group") {
            keys.push_back("endpoint");
        }
        return keys;
    }

    static constexpr std::array<std::string_view, 5> user_sections = {
        "active", "password", "user_type", "groups", "pending_create"};

    void read_resource(const json::value& v, const std::string& path, std::string_view type,
                       resource_profile& out) {
        const bool is_user = type == "User";
        const bool is_group = type == "Group";
        std::vector<misplaced_key> misplaced;
        if (is_user) {
            misplaced.push_back({"members",
                                 "only Group and further resource types have this "
                                 "section"});
        } else {
            for (const auto k : user_sections) {
                misplaced.push_back({k, "only the User resource has this section"});
            }
        }
        object_reader r(v, path, errors_, section_keys(type), misplaced);
        if (!r.valid()) {
            return;
        }
        out.name = std::string(type);
        if (is_user || is_group) {
            out.endpoint = is_user ? "/Users" : "/Groups";
            const std::string_view default_schema = is_user ? core_user_schema : core_group_schema;
            out.schema = r.string("schema").value_or(std::string(default_schema));
            if (!ascii::iequals(out.schema, default_schema)) {
                r.error("schema", "the " + std::string(type) + " core schema is \"" +
                                      std::string(default_schema) + "\"; remove the key or use it");
            }
        } else {
            read_further_type(r, out);
        }
        read_extensions(r, out);
        out.base = is_user ? base_kind::users : base_kind::groups;
        if (const auto base =
                read_enum<base_kind>(r, "base", parse_base_kind, {"users", "groups", "roles"})) {
            out.base = *base;
        } else if (!is_user && !is_group && !r.has("base")) {
            r.error("base",
                    "name the tenant base this resource type lives under: users, "
                    "groups or roles");
        }
        if (const auto classes = r.strings("object_classes", true)) {
            if (classes->empty()) {
                r.error("object_classes", "name at least one objectClass written on create");
            }
            for (std::size_t i = 0; i < classes->size(); ++i) {
                if (!is_valid_oid((*classes)[i])) {
                    errors_.add(index_path(r.path_of("object_classes"), i),
                                "\"" + (*classes)[i] + "\" is not an objectClass name");
                }
            }
            out.object_classes = *classes;
        }
        if (const auto f = r.string("search_filter")) {
            if (!is_plausible_filter(*f)) {
                r.error("search_filter", "\"" + *f +
                                             "\" is not an LDAP filter: write one parenthesised "
                                             "filter, e.g. (objectClass=inetOrgPerson)");
            }
            out.search_filter = ldap::filter(*f);
        } else if (!out.object_classes.empty()) {
            out.search_filter = ldap::filters::equal("objectClass", out.object_classes.front());
        }
        if (const auto rdn = r.string("rdn_attribute", true)) {
            check_ldap_name(r, "rdn_attribute", *rdn);
            out.rdn_attribute = *rdn;
        }
        if (const auto id = r.string("id_attribute")) {
            check_ldap_name(r, "id_attribute", *id);
            out.id_attribute = *id;
        }
        read_special_sections(r, out);
        if (out.pending_create) {
            // An unfinished create is not a resource yet: no read, list or id lookup sees it.
            out.search_filter = ldap::filters::all_of(
                {out.search_filter,
                 ldap::filters::negation(ldap::filters::present(out.pending_create->ldap))});
        }
        synthesise_common(out, path);
        read_attributes(r, out);
        synthesise_special(out, path);
        out.build_index();
        read_templates(r, out);
        check_resource(out, path, errors_);
    }

    /// A further type's own schema URN (required: SCIM defines none for it) and endpoint
    /// (default: "/" + name + "s", as /Users and /Groups).
    void read_further_type(const object_reader& r, resource_profile& out) {
        if (const auto urn = r.string("schema", true)) {
            if (!is_valid_urn(*urn)) {
                r.error("schema", "\"" + *urn +
                                      "\" is not a schema URN: write urn:<namespace>:<rest>, e.g. "
                                      "urn:example:params:scim:schemas:core:2.0:" +
                                      out.name);
            } else if (ascii::iequals(*urn, core_user_schema) ||
                       ascii::iequals(*urn, core_group_schema)) {
                r.error("schema", "\"" + *urn + "\" belongs to " +
                                      (ascii::iequals(*urn, core_user_schema) ? "User" : "Group") +
                                      "; give " + out.name + " a schema URN of its own");
            }
            out.schema = *urn;
        }
        out.endpoint = r.string("endpoint").value_or("/" + out.name + "s");
        static const std::regex endpoint("/[A-Za-z][A-Za-z0-9]{0,63}");
        if (!std::regex_match(out.endpoint, endpoint)) {
            r.error("endpoint", "\"" + out.endpoint +
                                    "\" is not an endpoint: write \"/\" and a word, e.g. /" +
                                    out.name + "s");
            return;
        }
        // SCIM's own endpoints, and the paths the bridge answers before routing (probes,
        // metrics, the OAuth token endpoint at /oauth/token) when the base path is "/".
        for (const auto taken :
             {"/Users", "/Groups", "/Schemas", "/ResourceTypes", "/ServiceProviderConfig", "/Bulk",
              "/Me", "/oauth", "/metrics", "/healthz", "/readyz"}) {
            if (ascii::iequals(out.endpoint, taken)) {
                r.error("endpoint", "\"" + out.endpoint +
                                        "\" is taken by SCIM itself; choose "
                                        "another, e.g. /" +
                                        out.name + "s");
            }
        }
    }

    void read_extensions(const object_reader& r, resource_profile& out) {
        const auto* list = r.array("extensions");
        if (list == nullptr) {
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            object_reader e((*list)[i], index_path(r.path_of("extensions"), i), errors_,
                            {"schema", "required"});
            const auto urn = e.string("schema", true);
            if (!urn) {
                continue;
            }
            if (!is_valid_urn(*urn)) {
                e.error("schema", "\"" + *urn +
                                      "\" is not a schema URN: write urn:<namespace>:<rest>, e.g. "
                                      "urn:ietf:params:scim:schemas:extension:example:2.0:User");
            } else if (out.knows_schema(*urn)) {
                e.error("schema", "schema \"" + *urn + "\" is listed twice");
            }
            out.extensions.push_back({*urn, e.boolean("required").value_or(false)});
        }
    }

    void read_attributes(const object_reader& r, resource_profile& out) {
        const auto* list = r.array("attributes", true);
        if (list == nullptr) {
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto m = read_mapping((*list)[i], index_path(r.path_of("attributes"), i), out);
            if (m) {
                out.attributes.push_back(std::move(*m));
            }
        }
    }

    std::optional<attribute_mapping> read_mapping(const json::value& v, const std::string& path,
                                                  const resource_profile& out) {
        object_reader r(v, path, errors_, mapping_keys);
        if (!r.valid()) {
            return std::nullopt;
        }
        attribute_mapping m;
        m.json_path = path;
        const auto key = r.string("scim", true);
        const auto ldap = r.string("ldap", true);
        bool ok = key && ldap;
        if (key) {
            auto parsed = parse_mapping_key(*key, out.schema);
            if (!parsed) {
                r.error("scim", parsed.error());
                ok = false;
            } else {
                m.scim = std::move(*parsed);
                ok = check_scim_name(r, m.scim, out) && ok;
            }
        }
        if (ldap) {
            check_ldap_name(r, "ldap", *ldap);
            m.ldap = *ldap;
        }
        if (const auto t = read_enum<value_type>(
                r, "type", parse_value_type,
                {"string", "boolean", "integer", "decimal", "dateTime", "reference", "binary"})) {
            m.type = *t;
        }
        m.multi_valued = r.boolean("multi_valued").value_or(false);
        m.required = r.boolean("required").value_or(false);
        m.case_exact = r.boolean("case_exact").value_or(false);
        m.primary = r.boolean("primary").value_or(false);
        m.secret = r.boolean("secret").value_or(false);
        if (const auto mu =
                read_enum<mutability>(r, "mutability", parse_mutability,
                                      {"readWrite", "writeOnly", "readOnly", "immutable"})) {
            m.mutability_ = *mu;
        }
        if (const auto re = read_enum<returned>(r, "returned", parse_returned,
                                                {"always", "default", "request", "never"})) {
            m.returned_ = *re;
        }
        if (const auto u = read_enum<uniqueness>(r, "uniqueness", parse_uniqueness,
                                                 {"none", "server", "global"})) {
            m.uniqueness_ = *u;
        }
        m.canonical_values = r.strings("canonical_values").value_or(std::vector<std::string>{});
        m.reference_types = r.strings("reference_types").value_or(std::vector<std::string>{});
        if (const auto pattern = r.string("pattern")) {
            try {
                std::regex compiled(*pattern, std::regex::ECMAScript);
                m.pattern = *pattern;
            } catch (const std::regex_error& e) {
                r.error("pattern",
                        "not a valid ECMAScript regular expression: " + std::string(e.what()));
            }
        }
        m.description = r.string("description").value_or("");
        if (m.primary && !m.scim.selector) {
            r.error("primary",
                    "\"primary\" marks the element a selector picks; use it only "
                    "with keys like emails[type eq \"work\"].value");
        }
        if (m.type == value_type::reference && m.reference_types.empty()) {
            r.error("reference_types",
                    "a reference mapping needs \"reference_types\", e.g. [\"User\"]");
        }
        if (!ok) {
            return std::nullopt;
        }
        return m;
    }

    // Names the special sections own, and core names RFC 7643 does not define, are refused.
    bool check_scim_name(const object_reader& r, const scim_attribute_path& p,
                         const resource_profile& out) {
        if (!out.knows_schema(p.schema)) {
            r.error("scim", "schema \"" + p.schema +
                                "\" is neither the core schema nor listed in \"extensions\"; "
                                "add it to \"extensions\"");
            return false;
        }
        static const std::vector<std::pair<std::string_view, std::string_view>> owned = {
            {"id", "id comes from \"id_attribute\""},
            {"meta", "meta comes from the \"meta\" section"},
            {"schemas", "schemas is written by the bridge"},
            {"active", "active is mapped by the \"active\" section"},
            {"password", "password is mapped by the \"password\" section"},
            {"userType", "userType is mapped by the \"user_type\" section"},
            {"groups", "groups is mapped by the \"groups\" section"},
            {"members", "members is mapped by the \"members\" section"},
        };
        if (ascii::iequals(p.schema, out.schema)) {
            for (const auto& [name, why] : owned) {
                if (ascii::iequals(p.name, name)) {
                    r.error("scim", std::string(why) + "; remove this mapping");
                    return false;
                }
            }
        }
        const auto* known = rfc_attributes(p.schema);
        if (known == nullptr) {
            return true;  // a custom extension defines its own names
        }
        const auto* attribute = find_rfc_attribute(p.schema, p.name);
        if (attribute == nullptr) {
            std::vector<std::string_view> names;
            for (const auto& a : *known) {
                names.push_back(a.name);
            }
            r.error("scim", "\"" + p.name + "\" is not an attribute of " + p.schema +
                                did_you_mean(p.name, names) +
                                "; custom attributes belong in an extension schema");
            return false;
        }
        if (!p.sub_attribute.empty()) {
            const auto& subs = attribute->sub_attributes;
            const bool found = std::any_of(subs.begin(), subs.end(), [&](std::string_view s) {
                return ascii::iequals(s, p.sub_attribute);
            });
            if (!found) {
                r.error("scim", "\"" + p.sub_attribute + "\" is not a sub-attribute of " +
                                    std::string(attribute->name) +
                                    did_you_mean(p.sub_attribute, subs));
                return false;
            }
        } else if (!attribute->sub_attributes.empty()) {
            r.error("scim", std::string(attribute->name) +
                                " is complex: map its sub-attributes, e.g. " +
                                std::string(attribute->name) +
                                (attribute->multi_valued ? "[type eq \"work\"]." : ".") +
                                std::string(attribute->sub_attributes.front()));
            return false;
        }
        return true;
    }

    void read_special_sections(const object_reader& r, resource_profile& out) {
        if (const auto* v = r.object("active")) {
            out.active = read_active(
                object_reader(*v, r.path_of("active"), errors_,
                              {"strategy", "ldap", "inactive_value", "end_ldap", "end_value",
                               "true_value", "false_value", "absent_means_active"}));
        }
        if (const auto* v = r.object("password")) {
            object_reader p(*v, r.path_of("password"), errors_, {"strategy", "ldap", "on_create"});
            password_settings s;
            if (const auto st = p.string("strategy", true)) {
                if (*st == "attribute") {
                    s.how = password_settings::strategy::attribute;
                } else if (*st != "passwordModify") {
                    p.error("strategy", "unknown password strategy \"" + *st + "\"" +
                                            did_you_mean(*st, {"passwordModify", "attribute"}) +
                                            "; use passwordModify or attribute");
                }
            }
            if (const auto l = p.string("ldap")) {
                check_ldap_name(p, "ldap", *l);
                s.ldap = *l;
            }
            if (const auto c = p.string("on_create")) {
                if (*c == "inAdd") {
                    s.create = password_settings::on_create::in_add;
                } else if (*c != "passwordModify") {
                    p.error("on_create", "unknown on_create \"" + *c + "\"" +
                                             did_you_mean(*c, {"inAdd", "passwordModify"}) +
                                             "; use inAdd (the server hashes cleartext) or "
                                             "passwordModify");
                }
            }
            out.password = s;
        }
        if (const auto* v = r.object("pending_create")) {
            object_reader p(*v, r.path_of("pending_create"), errors_, {"ldap", "value"});
            pending_create_settings s;
            if (const auto l = p.string("ldap")) {
                check_ldap_name(p, "ldap", *l);
                s.ldap = *l;
            }
            if (const auto value = p.string("value")) {
                if (value->empty()) {
                    p.error("value", "the mark needs a value; remove the key for TRUE");
                }
                s.value = *value;
            }
            out.pending_create = s;
        }
        if (const auto* v = r.object("user_type")) {
            out.user_type = read_user_type(object_reader(
                *v, r.path_of("user_type"), errors_,
                {"ldap", "values", "case_exact", "required", "role_groups", "role_object_class",
                 "role_rdn_attribute", "role_member_attribute", "default_roles"}));
        }
        if (const auto* v = r.object("delete")) {
            object_reader d(*v, r.path_of("delete"), errors_, {"mode"});
            if (const auto mode = d.string("mode", true)) {
                if (*mode == "archive") {
                    out.deletion.how = delete_settings::mode::archive;
                } else if (*mode != "delete") {
                    d.error("mode", "unknown delete mode \"" + *mode + "\"" +
                                        did_you_mean(*mode, {"delete", "archive"}) +
                                        "; use delete or archive");
                }
            }
        }
        if (const auto* v = r.object("groups")) {
            object_reader g(*v, r.path_of("groups"), errors_, {"ldap"});
            groups_settings s;
            if (const auto l = g.string("ldap")) {
                check_ldap_name(g, "ldap", *l);
                s.ldap = *l;
            }
            out.groups = s;
        }
        if (const auto* v = r.object("members")) {
            out.members = read_members(
                object_reader(*v, r.path_of("members"), errors_,
                              {"ldap", "placeholder_dn", "display_attributes", "types"}));
        }
        if (const auto* v = r.object("meta")) {
            object_reader m(*v, r.path_of("meta"), errors_,
                            {"created", "last_modified", "version"});
            for (auto [key, field] : {std::pair{"created", &out.meta.created},
                                      std::pair{"last_modified", &out.meta.last_modified},
                                      std::pair{"version", &out.meta.version}}) {
                if (const auto l = m.string(key)) {
                    check_ldap_name(m, key, *l);
                    *field = *l;
                }
            }
        }
    }

    active_settings read_active(const object_reader& a) {
        active_settings s;
        const auto strategy = a.string("strategy", true);
        if (strategy && *strategy == "attribute") {
            s.how = active_settings::strategy::attribute;
            s.ldap.clear();
            if (!a.has("ldap")) {
                a.error("ldap",
                        "the attribute strategy needs \"ldap\": the attribute that "
                        "holds the true/false values");
            }
        } else if (strategy && *strategy != "ppolicyLock") {
            a.error("strategy", "unknown active strategy \"" + *strategy + "\"" +
                                    did_you_mean(*strategy, {"ppolicyLock", "attribute"}) +
                                    "; use ppolicyLock or attribute");
        }
        if (const auto l = a.string("ldap")) {
            check_ldap_name(a, "ldap", *l);
            s.ldap = *l;
        }
        s.inactive_value = a.string("inactive_value").value_or(s.inactive_value);
        if (const auto l = a.string("end_ldap")) {
            if (!l->empty()) {
                check_ldap_name(a, "end_ldap", *l);
            }
            s.end_ldap = *l;
        }
        s.end_value = a.string("end_value").value_or(s.end_value);
        if (s.how == active_settings::strategy::attribute || ascii::iequals(s.end_ldap, s.ldap)) {
            s.end_ldap.clear();  // no second mark: the lock is a value, or already the end time
        }
        s.true_value = a.string("true_value").value_or(s.true_value);
        s.false_value = a.string("false_value").value_or(s.false_value);
        s.absent_means_active = a.boolean("absent_means_active").value_or(true);
        if (s.how == active_settings::strategy::attribute && s.true_value == s.false_value) {
            a.error("false_value", "true_value and false_value must differ");
        }
        return s;
    }

    user_type_settings read_user_type(const object_reader& u) {
        user_type_settings s;
        if (const auto l = u.string("ldap")) {
            check_ldap_name(u, "ldap", *l);
            s.ldap = *l;
        }
        s.case_exact = u.boolean("case_exact").value_or(true);
        s.required = u.boolean("required").value_or(false);
        s.role_groups = u.boolean("role_groups").value_or(false);
        s.values = u.strings("values").value_or(std::vector<std::string>{});
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            const auto& value = s.values[i];
            if (value.empty()) {
                errors_.add(index_path(u.path_of("values"), i),
                            "an empty userType value cannot be sent by a client; remove it");
                continue;
            }
            for (std::size_t j = 0; j < i; ++j) {
                const bool same =
                    s.case_exact ? s.values[j] == value : ascii::iequals(s.values[j], value);
                if (same) {
                    errors_.add(index_path(u.path_of("values"), i),
                                "\"" + value + "\" duplicates values[" + std::to_string(j) + "]" +
                                    (s.case_exact ? "" : " (case_exact is false)"));
                    break;
                }
            }
        }
        if (u.has("values") && s.values.empty()) {
            u.error("values",
                    "list at least one userType value, or remove \"values\" to "
                    "accept any value");
        }
        if (s.required && s.values.empty()) {
            u.error("required", "a required userType needs the list of allowed \"values\"");
        }
        if (const auto oc = u.string("role_object_class")) {
            if (!is_valid_oid(*oc)) {
                u.error("role_object_class", "\"" + *oc + "\" is not an objectClass name");
            }
            s.role_object_class = *oc;
        }
        for (auto [key, field] : {std::pair{"role_rdn_attribute", &s.role_rdn_attribute},
                                  std::pair{"role_member_attribute", &s.role_member_attribute}}) {
            if (const auto l = u.string(key)) {
                check_ldap_name(u, key, *l);
                *field = *l;
            }
        }
        s.default_roles = u.strings("default_roles").value_or(std::vector<std::string>{});
        for (std::size_t i = 0; i < s.default_roles.size(); ++i) {
            if (!s.values.empty() && s.canonical(s.default_roles[i]) == nullptr) {
                errors_.add(index_path(u.path_of("default_roles"), i),
                            "\"" + s.default_roles[i] + "\" is not one of \"values\"");
            }
        }
        if (!s.default_roles.empty() && !s.role_groups) {
            u.error("default_roles",
                    "default roles are role group memberships: set "
                    "\"role_groups\": true");
        }
        return s;
    }

    members_settings read_members(const object_reader& m) {
        members_settings s;
        if (const auto l = m.string("ldap")) {
            check_ldap_name(m, "ldap", *l);
            s.ldap = *l;
        }
        if (const auto dn = m.string("placeholder_dn")) {
            if (!is_valid_dn(*dn)) {
                m.error("placeholder_dn", "\"" + *dn +
                                              "\" is not a DN (RFC 4514), e.g. "
                                              "cn=empty-membership-placeholder,dc=example,dc=org");
            }
            s.placeholder_dn = ldap::dn(*dn);
        }
        if (const auto names = m.strings("display_attributes")) {
            for (std::size_t i = 0; i < names->size(); ++i) {
                if (!is_valid_attribute_description((*names)[i])) {
                    errors_.add(index_path(m.path_of("display_attributes"), i),
                                "\"" + (*names)[i] + "\" is not an LDAP attribute name");
                }
            }
            s.display_attributes = *names;
        }
        if (const auto types = m.strings("types")) {
            for (std::size_t i = 0; i < types->size(); ++i) {
                if ((*types)[i] != "User" && (*types)[i] != "Group") {
                    errors_.add(index_path(m.path_of("types"), i),
                                "member types are \"User\" and \"Group\"");
                }
            }
            s.types = *types;
        }
        return s;
    }

    // An attribute the profile implies rather than lists under "attributes": `m` names what sets
    // it apart from a plain read-write string of the resource's core schema; `json_path` is the
    // profile key that implies it, for later messages.
    static void add_implied(resource_profile& out, std::string json_path, attribute_mapping m) {
        m.scim.schema = out.schema;
        m.json_path = std::move(json_path);
        out.attributes.push_back(std::move(m));
    }

    // id, externalId-independent common attributes and meta: every resource has them.
    static void synthesise_common(resource_profile& out, const std::string& path) {
        add_implied(out, path + ".id_attribute",
                    {.scim = {.name = "id"},
                     .ldap = out.id_attribute,
                     .case_exact = true,
                     .mutability_ = mutability::read_only,
                     .returned_ = returned::always,
                     .uniqueness_ = uniqueness::server,
                     .kind = behaviour::id});
        const auto meta = [&](std::string sub, const std::string& ldap, value_type type) {
            add_implied(out, path + ".meta",
                        {.scim = {.name = "meta", .sub_attribute = std::move(sub)},
                         .ldap = ldap,
                         .type = type,
                         .case_exact = true,
                         .mutability_ = mutability::read_only,
                         .kind = behaviour::meta});
        };
        meta("created", out.meta.created, value_type::date_time);
        meta("lastModified", out.meta.last_modified, value_type::date_time);
        meta("version", out.meta.version, value_type::string);
    }

    static void synthesise_special(resource_profile& out, const std::string& path) {
        if (out.active) {
            add_implied(out, path + ".active",
                        {.scim = {.name = "active"},
                         .ldap = out.active->ldap,
                         .type = value_type::boolean,
                         .kind = behaviour::active});
        }
        if (out.password) {
            add_implied(out, path + ".password",
                        {.scim = {.name = "password"},
                         .ldap = out.password->ldap,
                         .case_exact = true,
                         .mutability_ = mutability::write_only,
                         .returned_ = returned::never,
                         .kind = behaviour::password});
        }
        if (out.user_type) {
            add_implied(out, path + ".user_type",
                        {.scim = {.name = "userType"},
                         .ldap = out.user_type->ldap,
                         .required = out.user_type->required,
                         .case_exact = out.user_type->case_exact,
                         .canonical_values = out.user_type->values,
                         .kind = behaviour::user_type});
        }
        if (out.groups) {
            add_implied(out, path + ".groups",
                        {.scim = {.name = "groups", .sub_attribute = "value"},
                         .ldap = out.groups->ldap,
                         .type = value_type::reference,
                         .multi_valued = true,
                         .case_exact = true,
                         .mutability_ = mutability::read_only,
                         .reference_types = {"Group"},
                         .kind = behaviour::groups});
        }
        if (out.members) {
            add_implied(out, path + ".members",
                        {.scim = {.name = "members", .sub_attribute = "value"},
                         .ldap = out.members->ldap,
                         .type = value_type::reference,
                         .multi_valued = true,
                         .case_exact = true,
                         .reference_types = out.members->types,
                         .kind = behaviour::members});
        }
    }

    void read_templates(const object_reader& r, resource_profile& out) {
        const auto* v = r.object("templates");
        if (v == nullptr) {
            return;
        }
        for (const auto& [ldap_name, alternatives] : v->get_object()) {
            const std::string path = r.path_of("templates") + "." + std::string(ldap_name);
            ldap_template t;
            t.ldap = std::string(ldap_name);
            t.json_path = path;
            if (!is_valid_attribute_description(t.ldap)) {
                errors_.add(path, "\"" + t.ldap + "\" is not an LDAP attribute name");
            }
            if (!alternatives.is_array() || alternatives.get_array().empty()) {
                errors_.add(path,
                            "expected a non-empty array of alternatives, e.g. "
                            "[\"{name.familyName}\", \"{userName}\"]");
                continue;
            }
            const auto& list = alternatives.get_array();
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (!list[i].is_string()) {
                    errors_.add(index_path(path, i), "expected a string");
                    continue;
                }
                if (auto alt = read_alternative(std::string(list[i].get_string()),
                                                index_path(path, i), out)) {
                    t.alternatives.push_back(std::move(*alt));
                }
            }
            out.templates.push_back(std::move(t));
        }
    }

    std::optional<template_alternative> read_alternative(const std::string& text,
                                                         const std::string& path,
                                                         const resource_profile& out) {
        template_alternative alt;
        alt.text = text;
        std::size_t pos = 0;
        bool ok = true;
        while (pos < text.size()) {
            const std::size_t open = text.find('{', pos);
            if (open == std::string::npos) {
                alt.parts.push_back({text.substr(pos), nullptr});
                break;
            }
            if (open > pos) {
                alt.parts.push_back({text.substr(pos, open - pos), nullptr});
            }
            const std::size_t close = text.find('}', open);
            if (close == std::string::npos) {
                errors_.add(path, "unclosed \"{\" at position " + std::to_string(open) +
                                      ": placeholders look like {name.givenName}");
                return std::nullopt;
            }
            const std::string key = text.substr(open + 1, close - open - 1);
            const auto* target = resolve_placeholder(key, path, out);
            ok = ok && target != nullptr;
            alt.parts.push_back({"", target});
            pos = close + 1;
        }
        if (!ok) {
            return std::nullopt;
        }
        return alt;
    }

    const attribute_mapping* resolve_placeholder(const std::string& key, const std::string& path,
                                                 const resource_profile& out) {
        auto parsed = parse_mapping_key(key, out.schema);
        if (!parsed) {
            errors_.add(path, "placeholder {" + key + "}: " + parsed.error());
            return nullptr;
        }
        const auto selector = parsed->selector;
        const auto* m = out.find(to_attr_path(*parsed), selector ? &*selector : nullptr);
        if (m == nullptr) {
            std::vector<std::string> names;
            for (const auto& a : out.attributes) {
                names.push_back(a.scim.to_string(out.schema));
            }
            std::vector<std::string_view> views(names.begin(), names.end());
            errors_.add(path, "placeholder {" + key + "} names no SCIM attribute this " + out.name +
                                  " maps" + did_you_mean(key, views) +
                                  "; placeholders must be mapped SCIM paths");
            return nullptr;
        }
        if (m->returned_ == returned::never || m->kind == behaviour::password) {
            errors_.add(path, "placeholder {" + key +
                                  "}: a write-only value must never be "
                                  "copied into another attribute");
            return nullptr;
        }
        return m;
    }

    error_list& errors_;
};

}  // namespace

profile_result parse_profile(std::string_view json_text, std::string_view file_label) {
    error_list errors{std::string(file_label)};
    const auto root = parse_json_document(json_text, errors);
    if (!root) {
        return std::move(errors.errors());
    }
    auto p = loader(errors).read(*root);
    p->file = std::string(file_label);
    if (!errors.empty()) {
        return std::move(errors.errors());
    }
    return std::shared_ptr<const profile>(std::move(p));
}

profile_result load_profile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::vector<config_error>{
            {path, "$", "cannot read the profile file: check the path and its permissions"}};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_profile(text.str(), path);
}

std::optional<std::string> find_profile_file(std::string_view name, const std::string& base_dir,
                                             const std::vector<std::string>& dirs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (name.find('/') != std::string_view::npos || name.ends_with(".json")) {
        fs::path p(name);
        if (p.is_relative() && !base_dir.empty()) {
            p = fs::path(base_dir) / p;
        }
        return fs::is_regular_file(p, ec) ? std::optional(p.string()) : std::nullopt;
    }
    for (const auto& dir : dirs) {
        const fs::path p = fs::path(dir) / (std::string(name) + ".json");
        if (fs::is_regular_file(p, ec)) {
            return p.string();
        }
    }
    return std::nullopt;
}

}  // namespace scimldap::mapping
