#include "mapping/patch.hpp"

#include "mapping/filter_parser.hpp"
#include "mapping/value_filter.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"

#include <algorithm>
#include <set>
#include <span>
#include <string>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using scim::errc;
using op_kind = patch_operation::op_kind;

bool ieq(std::string_view a, std::string_view b) {
    return ascii::iequals(a, b);
}

// Sets `key` in its canonical spelling, dropping any other spelling of it.
void put(json::object& o, std::string_view key, json::value v) {
    erase_members(o, key);
    o[key] = std::move(v);
}

// RFC 7644 §3.5.2.3 / IDP-QUIRKS R16: null, "", [] and {} all mean "no value".
bool is_empty(const json::value& v) {
    return v.is_null() || (v.is_string() && v.get_string().empty()) ||
           (v.is_array() && v.get_array().empty()) || (v.is_object() && v.get_object().empty());
}

// A single value where a list is expected is a one-element list (IdPs send both); null is none.
std::span<const json::value> elements_of(const json::value& v) {
    if (v.is_array()) {
        return {v.get_array().data(), v.get_array().size()};
    }
    if (v.is_null()) {
        return {};
    }
    return {&v, 1};
}

// Sub-attributes a multi-valued or reference attribute has without the profile naming them.
constexpr std::string_view implicit_subs[] = {"value",   "type", "primary",
                                              "display", "$ref", "displayName"};

/// A top-level attribute as the profile maps it.
struct attribute_info {
    std::string schema;  // canonical URN
    std::string name;    // canonical spelling
    bool core = true;
    bool multi_valued = false;
    bool complex = false;
    bool reference = false;  // its "value" is a resource id (manager, members, groups)
    const known_attribute* rfc = nullptr;
    std::vector<const attribute_mapping*> mappings;
};

/// A sub-attribute of one: canonical spelling and, when mapped, its mapping.
struct sub_info {
    std::string name;
    const attribute_mapping* mapping = nullptr;
    value_type type = value_type::string;
    bool case_exact = false;
};

/// Where an operation points.
struct target {
    attribute_info attr;
    const filter_node* filter = nullptr;
    std::optional<sub_info> sub;
    std::string label;  // the path text, for details
};

class patcher {
public:
    patcher(const resource_profile& r, json::object& res) : r_(r), res_(res) {}

    scim::result<void> apply(const patch_operation& op) {
        at(op);
        const json::value value = op.value.value_or(json::value());
        if (!op.path) {
            if (!value.is_object()) {
                return fail(errc::invalid_value,
                            "without a \"path\", \"value\" must be an object of attributes");
            }
            return apply_object(op.op, value.get_object(), "");
        }
        if (const auto* urn = extension_urn(op.path_text)) {
            return apply_extension(op.op, *urn, value);
        }
        auto t = resolve(*op.path, op.path_text);
        if (!t) {
            return t.error();
        }
        if (auto writable = check_writable(*t); !writable) {
            return writable;
        }
        return apply_target(op.op, *t, value);
    }

    // Adds `op` to `out` (split_patch): the deferred attribute's part to the delta, the rest
    // to the other operations. Only the profile is read, never the resource.
    scim::result<void> split(const patch_operation& op, std::string_view deferred,
                             patch_split& out) {
        at(op);
        static const json::value none;
        const json::value& value = op.value ? *op.value : none;  // a full push: 100,000 ids
        if (op.path) {
            if (extension_urn(op.path_text) != nullptr ||
                !is_deferred(*op.path, op.path_text, deferred)) {
                out.others.push_back(op);
                return {};
            }
            return defer(op.op, *op.path, op.path_text, value, out);
        }
        // No path (Okta, Entra): the attribute's key is deferred, the other keys stay.
        if (!value.is_object()) {
            out.others.push_back(op);  // apply_patch refuses it
            return {};
        }
        const auto& keys = value.get_object();
        json::object rest;
        for (const auto& [key, v] : keys) {
            const std::string text(key);
            auto parsed = parse_path(text);
            if (extension_urn(text) != nullptr || !parsed ||
                !is_deferred(*parsed, text, deferred)) {
                rest[key] = v;
                continue;
            }
            if (auto done = defer(op.op, *parsed, text, v, out); !done) {
                return done;
            }
        }
        if (rest.size() == keys.size()) {
            out.others.push_back(op);
        } else if (!rest.empty()) {
            patch_operation other = op;
            other.value = json::value(std::move(rest));
            out.others.push_back(std::move(other));
        }
        return {};
    }

    // reference_ids: a whole value of a multi-valued reference attribute, as a body has it.
    scim::result<std::vector<std::string>> ids_of(std::string_view attribute,
                                                  const json::value& value) const {
        const std::string label(attribute);
        auto a = describe("", attribute, label);
        if (!a) {
            return a.error();
        }
        if (!a->multi_valued || !a->reference) {
            return fail(errc::invalid_path, "\"" + label + "\" is not a multi-valued reference");
        }
        return ids_in(*a, value, label);
    }

private:
    const resource_profile& r_;
    json::object& res_;
    std::string where_;

    void at(const patch_operation& op) {
        where_ = "Operations[" + std::to_string(op.index) + "]: ";
    }

    scim::error fail(errc code, const std::string& detail) const {
        return scim::error{code, where_ + detail, std::nullopt};
    }

    // ---- the profile's view of attributes -------------------------------------------------

    std::string canonical_schema(std::string_view urn) const {
        if (ieq(urn, r_.schema)) {
            return r_.schema;
        }
        for (const auto& e : r_.extensions) {
            if (ieq(e.urn, urn)) {
                return e.urn;
            }
        }
        return std::string(urn);
    }

    const std::string* extension_urn(std::string_view text) const {
        for (const auto& e : r_.extensions) {
            if (ieq(e.urn, text)) {
                return &e.urn;
            }
        }
        return nullptr;
    }

    scim::result<attribute_info> describe(std::string_view schema, std::string_view name,
                                          const std::string& label) const {
        if (!schema.empty() && !r_.knows_schema(schema)) {
            return fail(errc::invalid_path, "path \"" + label + "\": schema \"" +
                                                std::string(schema) +
                                                "\" is not one this resource type has");
        }
        auto mappings = r_.find_all(attr_path{std::string(schema), std::string(name), ""});
        if (mappings.empty()) {
            return fail(errc::invalid_path, "path \"" + label + "\": attribute \"" +
                                                std::string(name) + "\" is not mapped by this " +
                                                r_.name + " profile");
        }
        attribute_info a;
        a.schema = canonical_schema(mappings.front()->scim.schema);
        for (const auto* m : mappings) {
            if (!ieq(m->scim.schema, a.schema)) {
                return fail(errc::invalid_path, "path \"" + label + "\": \"" + std::string(name) +
                                                    "\" is defined by several schemas; qualify "
                                                    "it with the schema URN");
            }
        }
        a.mappings = std::move(mappings);
        a.core = ieq(a.schema, r_.schema);
        a.rfc = find_rfc_attribute(a.schema, name);
        a.name = a.rfc != nullptr ? std::string(a.rfc->name) : a.mappings.front()->scim.name;
        for (const auto* m : a.mappings) {
            a.multi_valued = a.multi_valued || m->multi_valued || m->scim.selector.has_value();
            a.complex = a.complex || !m->scim.sub_attribute.empty() || m->scim.selector;
            a.reference = a.reference ||
                          (m->type == value_type::reference && ieq(m->scim.sub_attribute, "value"));
        }
        if (a.rfc != nullptr) {
            a.multi_valued = a.rfc->multi_valued;
            a.complex = !a.rfc->sub_attributes.empty();
        }
        return a;
    }

    static const attribute_mapping* simple_mapping(const attribute_info& a) {
        for (const auto* m : a.mappings) {
            if (m->scim.sub_attribute.empty() && !m->scim.selector) {
                return m;
            }
        }
        return a.mappings.front();
    }

    static bool is_selector_attribute(const attribute_info& a, std::string_view sub) {
        return std::any_of(a.mappings.begin(), a.mappings.end(), [&](const auto* m) {
            return m->scim.selector && ieq(m->scim.selector->attribute, sub);
        });
    }

    // for_path: paths must name something the profile stores (or an element's type/primary);
    // values may also carry other RFC 7643 sub-attributes, which later steps ignore.
    static std::optional<sub_info> describe_sub(const attribute_info& a, std::string_view sub,
                                                bool for_path) {
        sub_info s;
        for (const auto* m : a.mappings) {
            if (ieq(m->scim.sub_attribute, sub)) {
                s.mapping = m;
                break;
            }
        }
        bool implicit =
            is_selector_attribute(a, sub) || (a.multi_valued && a.complex && ieq(sub, "primary"));
        if (a.reference) {
            implicit = implicit || ieq(sub, "$ref") || ieq(sub, "display") ||
                       ieq(sub, "displayName") || ieq(sub, "type");
        }
        if (a.rfc != nullptr) {
            for (const auto known : a.rfc->sub_attributes) {
                if (ieq(known, sub)) {
                    s.name = std::string(known);
                }
            }
        }
        if (s.name.empty() && s.mapping != nullptr) {
            s.name = s.mapping->scim.sub_attribute;
        }
        if (s.name.empty() && implicit) {
            for (const auto known : implicit_subs) {
                if (ieq(known, sub)) {
                    s.name = std::string(known);
                }
            }
            if (s.name.empty()) {
                s.name = std::string(sub);  // a selector attribute the RFC does not define
            }
        }
        if (s.name.empty() || (for_path && s.mapping == nullptr && !implicit)) {
            return std::nullopt;
        }
        s.type = s.mapping != nullptr     ? s.mapping->type
                 : ieq(s.name, "primary") ? value_type::boolean
                                          : value_type::string;
        s.case_exact = s.mapping != nullptr && s.mapping->case_exact;
        return s;
    }

    scim::result<target> resolve(const patch_path& p, const std::string& label) const {
        auto a = describe(p.attribute.schema, p.attribute.name, label);
        if (!a) {
            return a.error();
        }
        target t;
        t.label = label;
        t.attr = std::move(*a);
        const auto& sub_name = p.value_filter ? p.sub_attribute : p.attribute.sub_attribute;
        if (p.value_filter) {
            if (!t.attr.multi_valued) {
                return fail(errc::invalid_path, "path \"" + label +
                                                    "\": a value filter needs a "
                                                    "multi-valued attribute, and \"" +
                                                    t.attr.name + "\" is single-valued");
            }
            t.filter = &*p.value_filter;
        }
        if (!sub_name.empty()) {
            if (!t.attr.complex) {
                return fail(errc::invalid_path, "path \"" + label + "\": \"" + t.attr.name +
                                                    "\" has no sub-attributes");
            }
            t.sub = describe_sub(t.attr, sub_name, true);
            if (!t.sub) {
                return fail(errc::invalid_path, "path \"" + label + "\": \"" + t.attr.name + "." +
                                                    sub_name + "\" is not mapped by this " +
                                                    r_.name + " profile");
            }
            if (t.attr.multi_valued && !t.filter) {
                return fail(errc::invalid_path, "path \"" + label +
                                                    "\": select the elements "
                                                    "with a value filter, e.g. " +
                                                    t.attr.name + "[type eq \"work\"]." +
                                                    t.sub->name);
            }
        }
        if (t.filter) {
            if (auto checked = check_selector(t); !checked) {
                return checked.error();
            }
        }
        return t;
    }

    // emails[type eq "home"] when the profile maps only emails[type eq "work"]: such an element
    // could never be stored, so the path is refused instead of being dropped silently.
    scim::result<void> check_selector(const target& t) const {
        const auto built = element_from_filter(*t.filter);
        if (!built || !std::all_of(t.attr.mappings.begin(), t.attr.mappings.end(),
                                   [](const auto* m) { return m->scim.selector.has_value(); })) {
            return {};
        }
        for (const auto& [key, value] : *built) {
            if (!is_selector_attribute(t.attr, key) || !value.is_string()) {
                continue;
            }
            std::string mapped;
            for (const auto* m : t.attr.mappings) {
                if (ieq(m->scim.selector->attribute, key) &&
                    ieq(m->scim.selector->value, value.get_string())) {
                    return {};
                }
                mapped += (mapped.empty() ? "" : ", ") + m->scim.to_string(r_.schema);
            }
            return fail(errc::invalid_path, "path \"" + t.label + "\": this " + r_.name +
                                                " profile maps only " + mapped);
        }
        return {};
    }

    static bool all_read_only(const attribute_info& a) {
        return std::all_of(a.mappings.begin(), a.mappings.end(),
                           [](const auto* m) { return !m->writable(); });
    }

    // RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability readOnly".
    scim::result<void> check_writable(const target& t) const {
        const bool read_only = all_read_only(t.attr) ||
                               (t.sub && t.sub->mapping != nullptr && !t.sub->mapping->writable());
        if (read_only) {
            return fail(errc::mutability, "\"" + t.label + "\" is readOnly");
        }
        return {};
    }

    // ---- values ---------------------------------------------------------------------------

    scim::result<json::value> coerce(const json::value& v, value_type type,
                                     const attribute_mapping* m, const std::string& label) const {
        switch (type) {
            case value_type::boolean:
                if (v.is_bool()) {
                    return v;
                }
                // Entra's default job sends "True"/"False" (IDP-QUIRKS R3).
                if (v.is_string() && ieq(v.get_string(), "true")) {
                    return json::value(true);
                }
                if (v.is_string() && ieq(v.get_string(), "false")) {
                    return json::value(false);
                }
                return fail(errc::invalid_value,
                            "\"" + label + "\" must be a boolean, got " + json::serialize(v));
            case value_type::integer:
                if (v.is_int64() || v.is_uint64()) {
                    return v;
                }
                return fail(errc::invalid_value,
                            "\"" + label + "\" must be an integer, got " + json::serialize(v));
            case value_type::decimal:
                if (v.is_number()) {
                    return v;
                }
                return fail(errc::invalid_value,
                            "\"" + label + "\" must be a number, got " + json::serialize(v));
            default:
                break;
        }
        if (!v.is_string()) {
            return fail(errc::invalid_value,
                        "\"" + label + "\" must be a string, got " + json::serialize(v));
        }
        if (m == nullptr || m->canonical_values.empty()) {
            return v;
        }
        for (const auto& allowed : m->canonical_values) {
            if (m->case_exact ? allowed == v.get_string() : ieq(allowed, v.get_string())) {
                return json::value(allowed);
            }
        }
        std::string list;
        for (const auto& allowed : m->canonical_values) {
            list += (list.empty() ? "\"" : ", \"") + allowed + "\"";
        }
        return fail(errc::invalid_value,
                    "\"" + label + "\" must be one of " + list + ", got " + json::serialize(v));
    }

    // A one-element list where one value is expected is that value (Entra's manager Add).
    scim::result<json::value> unwrap_single(const json::value& v, const std::string& label) const {
        if (!v.is_array()) {
            return v;
        }
        const auto& list = v.get_array();
        if (list.size() > 1) {
            return fail(errc::invalid_value, "\"" + label + "\" is single-valued but got " +
                                                 std::to_string(list.size()) + " values");
        }
        return list.empty() ? json::value() : list.front();
    }

    // A simple value (or a sub-attribute's): null when the value clears it.
    scim::result<json::value> normalise_scalar(const json::value& raw, value_type type,
                                               const attribute_mapping* m,
                                               const std::string& label) const {
        auto v = unwrap_single(raw, label);
        if (!v) {
            return v;
        }
        if (is_empty(*v)) {
            return json::value();
        }
        return coerce(*v, type, m, label);
    }

    // A complex value or element: an object with canonical, typed sub-attributes; a bare
    // string is {"value": string} (manager as an id); null when nothing is left.
    scim::result<json::value> normalise_object(const attribute_info& a, const json::value& raw,
                                               bool element, const std::string& label) const {
        json::value v = raw;
        if (!element) {
            auto unwrapped = unwrap_single(raw, label);
            if (!unwrapped) {
                return unwrapped;
            }
            v = std::move(*unwrapped);
        }
        if (is_empty(v)) {
            return json::value();
        }
        if (!v.is_object()) {
            if (v.is_array() || !describe_sub(a, "value", false)) {
                return fail(errc::invalid_value,
                            "\"" + label + "\" needs an object, got " + json::serialize(v));
            }
            v = json::object{{"value", v}};
        }
        json::object out;
        for (const auto& [key, sub_value] : v.get_object()) {
            const auto s = describe_sub(a, key, false);
            if (!s) {
                return fail(errc::invalid_value,
                            "\"" + label + "\" has no sub-attribute \"" + std::string(key) + "\"");
            }
            // References are kept as {"value": id}: $ref and display are derived on read.
            if (a.reference && !ieq(s->name, "value") && !ieq(s->name, "type")) {
                continue;
            }
            auto typed = normalise_scalar(sub_value, s->type, s->mapping, label + "." + s->name);
            if (!typed) {
                return typed;
            }
            if (!typed->is_null()) {
                put(out, s->name, std::move(*typed));
            }
        }
        if (out.empty()) {
            return json::value();
        }
        return json::value(std::move(out));
    }

    scim::result<json::value> normalise_element(const attribute_info& a, const json::value& v,
                                                const std::string& label) const {
        if (a.complex) {
            return normalise_object(a, v, true, label);
        }
        const auto* m = simple_mapping(a);
        if (is_empty(v)) {
            return json::value();
        }
        return coerce(v, m->type, m, label);
    }

    scim::result<json::array> normalise_list(const attribute_info& a, const json::value& v,
                                             const std::string& label) const {
        json::array out;
        for (const auto& item : elements_of(v)) {
            auto e = normalise_element(a, item, label);
            if (!e) {
                return e.error();
            }
            if (e->is_null()) {
                continue;
            }
            if (const auto i = find_same(a, out, *e); i < out.size()) {
                merge_into(out[i], *e);
            } else {
                out.push_back(std::move(*e));
            }
        }
        return out;
    }

    // ---- element comparison ---------------------------------------------------------------

    bool sub_case_exact(const attribute_info& a, std::string_view sub) const {
        const auto s = describe_sub(a, sub, false);
        return s && s->case_exact;
    }

    bool same_scalar(const json::value& x, const json::value& y, bool exact) const {
        if (x.is_string() && y.is_string()) {
            return exact ? x.get_string() == y.get_string() : ieq(x.get_string(), y.get_string());
        }
        return x == y;
    }

    // Same element: same "value" (and same "type" when both have one); elements without a
    // "value" (addresses) are the same when equal.
    bool same_element(const attribute_info& a, const json::value& x, const json::value& y) const {
        if (!x.is_object() || !y.is_object()) {
            const auto* m = simple_mapping(a);
            return same_scalar(x, y, m->case_exact);
        }
        const auto& xo = x.get_object();
        const auto& yo = y.get_object();
        const auto* xv = find_member(xo, "value");
        const auto* yv = find_member(yo, "value");
        if (xv == nullptr || yv == nullptr) {
            return x == y;
        }
        if (!same_scalar(*xv, *yv, sub_case_exact(a, "value"))) {
            return false;
        }
        const auto* xt = find_member(xo, "type");
        const auto* yt = find_member(yo, "type");
        return xt == nullptr || yt == nullptr || same_scalar(*xt, *yt, false);
    }

    std::size_t find_same(const attribute_info& a, const json::array& list,
                          const json::value& e) const {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (same_element(a, list[i], e)) {
                return i;
            }
        }
        return list.size();
    }

    // The element holding the same single-valued selected slot as `e` (a second
    // {"type": "work"} email when the profile maps one work email): Entra treats type values
    // as unique, so add updates that element instead of appending another.
    std::size_t find_slot(const attribute_info& a, const json::array& list,
                          const json::value& e) const {
        if (!e.is_object()) {
            return list.size();
        }
        const auto& eo = e.get_object();
        for (const auto* m : a.mappings) {
            if (!m->scim.selector || m->multi_valued) {
                continue;
            }
            const auto* sel = find_member(eo, m->scim.selector->attribute);
            if (sel == nullptr || !sel->is_string() ||
                !ieq(sel->get_string(), m->scim.selector->value)) {
                continue;
            }
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (!list[i].is_object()) {
                    continue;
                }
                const auto* have = find_member(list[i].get_object(), m->scim.selector->attribute);
                if (have != nullptr && have->is_string() &&
                    ieq(have->get_string(), sel->get_string())) {
                    return i;
                }
            }
        }
        return list.size();
    }

    static void merge_into(json::value& into, const json::value& from) {
        if (!into.is_object() || !from.is_object()) {
            into = from;
            return;
        }
        for (const auto& [k, v] : from.get_object()) {
            put(into.get_object(), k, v);
        }
    }

    static void copy_primary(json::value& into, const json::value& from) {
        if (!into.is_object() || !from.is_object()) {
            return;
        }
        if (const auto* p = find_member(from.get_object(), "primary")) {
            put(into.get_object(), "primary", *p);
        }
    }

    // RFC 7644 §3.5.2: setting "primary": true on one value sets it false on the others.
    static void fix_primary(json::array& list, const std::set<std::size_t>& touched) {
        std::optional<std::size_t> winner;
        for (const auto i : touched) {
            if (i < list.size() && list[i].is_object()) {
                const auto* p = find_member(list[i].get_object(), "primary");
                if (p != nullptr && p->is_bool() && p->get_bool()) {
                    winner = i;
                }
            }
        }
        if (!winner) {
            return;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i == *winner || !list[i].is_object()) {
                continue;
            }
            auto* p = find_member(list[i].get_object(), "primary");
            if (p != nullptr && p->is_bool() && p->get_bool()) {
                *p = false;
            }
        }
    }

    // An element left with only its type/primary says nothing: it goes.
    static bool is_hollow(const json::value& e) {
        if (!e.is_object()) {
            return false;
        }
        return std::all_of(e.get_object().begin(), e.get_object().end(), [](const auto& kv) {
            return ieq(kv.key(), "type") || ieq(kv.key(), "primary");
        });
    }

    // ---- where values live ----------------------------------------------------------------

    json::object* container(const attribute_info& a, bool create) {
        if (a.core) {
            return &res_;
        }
        auto* ext = find_member(res_, a.schema);
        if (ext != nullptr && ext->is_object()) {
            return &ext->get_object();
        }
        if (!create) {
            return nullptr;
        }
        put(res_, a.schema, json::object());
        add_schema_urn(a.schema);
        return &find_member(res_, a.schema)->get_object();
    }

    void add_schema_urn(const std::string& urn) {
        auto* schemas = find_member(res_, "schemas");
        if (schemas == nullptr || !schemas->is_array()) {
            return;
        }
        auto& list = schemas->get_array();
        const bool listed = std::any_of(list.begin(), list.end(), [&](const auto& s) {
            return s.is_string() && ieq(s.get_string(), urn);
        });
        if (!listed) {
            list.emplace_back(urn);
        }
    }

    void drop_extension_if_empty(const std::string& urn) {
        auto* ext = find_member(res_, urn);
        if (ext == nullptr || (ext->is_object() && !ext->get_object().empty())) {
            return;
        }
        erase_members(res_, urn);
        if (auto* schemas = find_member(res_, "schemas");
            schemas != nullptr && schemas->is_array()) {
            auto& list = schemas->get_array();
            for (auto it = list.begin(); it != list.end();) {
                it = it->is_string() && ieq(it->get_string(), urn) ? list.erase(it) : it + 1;
            }
        }
    }

    json::value current(const attribute_info& a) {
        auto* c = container(a, false);
        const auto* v = c == nullptr ? nullptr : find_member(*c, a.name);
        return v == nullptr ? json::value() : *v;
    }

    void set(const attribute_info& a, json::value v) {
        if (is_empty(v)) {
            erase(a);
            return;
        }
        put(*container(a, true), a.name, std::move(v));
    }

    void erase(const attribute_info& a) {
        if (auto* c = container(a, false)) {
            erase_members(*c, a.name);
        }
        if (!a.core) {
            drop_extension_if_empty(a.schema);
        }
    }

    // ---- constraints checked on the result of each operation --------------------------------

    // The part of an attribute's value one mapping covers (the selected element's
    // sub-attribute, the sub-attribute, or the whole value); null when absent.
    static json::value value_at(const json::value& attribute, const attribute_mapping& m) {
        json::value v = attribute;
        if (v.is_null()) {
            return v;
        }
        if (m.scim.selector) {
            json::value found;
            if (v.is_array()) {
                for (const auto& e : v.get_array()) {
                    if (!e.is_object()) {
                        continue;
                    }
                    const auto* sel = find_member(e.get_object(), m.scim.selector->attribute);
                    if (sel != nullptr && sel->is_string() &&
                        ieq(sel->get_string(), m.scim.selector->value)) {
                        found = e;
                        break;
                    }
                }
            }
            v = std::move(found);
        }
        if (!m.scim.sub_attribute.empty() && v.is_object()) {
            const auto* sub = find_member(v.get_object(), m.scim.sub_attribute);
            return sub == nullptr ? json::value() : *sub;
        }
        return v;
    }

    // RFC 7644 §3.5.2.2: removing (or unassigning) a required or readOnly attribute fails with
    // scimType "mutability"; RFC 7643 §2.2: an immutable attribute's value, once set, may not
    // change (RFC 7644 §3.5.2 lets add give it a first value).
    scim::result<void> check_constraints(const attribute_info& a, const json::value& before) {
        const json::value after = current(a);
        for (const auto* m : a.mappings) {
            const auto was = value_at(before, *m);
            const auto now = value_at(after, *m);
            const auto label = m->scim.to_string(r_.schema);
            if (m->required && !is_empty(was) && is_empty(now)) {
                return fail(errc::mutability, "required attribute " + label + " cannot be removed");
            }
            if (!m->writable() && was != now) {
                return fail(errc::mutability, "\"" + label + "\" is readOnly");
            }
            if (m->mutability_ == mutability::immutable && !is_empty(was) && was != now) {
                return fail(errc::mutability,
                            "\"" + label + "\" is immutable and already has a value");
            }
        }
        return {};
    }

    // ---- operations -----------------------------------------------------------------------

    scim::result<void> apply_target(op_kind op, const target& t, const json::value& value) {
        const json::value before = current(t.attr);
        const auto done = !t.filter && !t.sub ? (t.attr.multi_valued ? whole_multi(op, t, value)
                                                                     : whole_single(op, t, value))
                          : !t.filter         ? sub_of_single(op, t, value)
                                              : filtered(op, t, value);
        if (!done) {
            return done;
        }
        return check_constraints(t.attr, before);
    }

    scim::result<void> whole_single(op_kind op, const target& t, const json::value& value) {
        const auto& a = t.attr;
        if (op == op_kind::remove) {
            erase(a);
            return {};
        }
        if (!a.complex) {
            const auto* m = simple_mapping(a);
            auto v = normalise_scalar(value, m->type, m, t.label);
            if (!v) {
                return v.error();
            }
            set(a, std::move(*v));
            return {};
        }
        auto v = normalise_object(a, value, false, t.label);
        if (!v) {
            return v.error();
        }
        // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes not in the value are left unchanged;
        // a reference (manager) is one value, so it is replaced whole.
        json::value merged = current(a);
        if (v->is_null() || a.reference || !merged.is_object()) {
            merged = std::move(*v);
        } else {
            merge_into(merged, *v);
        }
        set(a, std::move(merged));
        return {};
    }

    scim::result<void> whole_multi(op_kind op, const target& t, const json::value& value) {
        const auto& a = t.attr;
        if (op == op_kind::remove && is_empty(value)) {
            erase(a);
            return {};
        }
        auto list = normalise_list(a, value, t.label);
        if (!list) {
            return list.error();
        }
        json::value have = current(a);
        json::array existing = have.is_array() ? have.get_array() : json::array();
        if (!have.is_array() && !have.is_null()) {
            existing.push_back(have);
        }
        std::set<std::size_t> touched;
        if (op == op_kind::remove) {
            // Entra/JumpCloud send the members to remove as "value" (IDP-QUIRKS R12); RFC 7644
            // §3.5.2.2 defines no value for remove, so only the listed elements go.
            for (const auto& e : *list) {
                for (auto i = find_same(a, existing, e); i < existing.size();
                     i = find_same(a, existing, e)) {
                    existing.erase(existing.begin() + static_cast<std::ptrdiff_t>(i));
                }
            }
        } else if (op == op_kind::replace) {
            existing = std::move(*list);
            for (std::size_t i = 0; i < existing.size(); ++i) {
                touched.insert(i);
            }
        } else {
            // RFC 7644 §3.5.2.1: add appends; a value already there changes nothing (but
            // its "primary" flag).
            for (const auto& e : *list) {
                if (const auto i = find_same(a, existing, e); i < existing.size()) {
                    copy_primary(existing[i], e);
                    touched.insert(i);
                    continue;
                }
                const auto i = find_slot(a, existing, e);
                if (i == existing.size()) {
                    existing.push_back(e);
                } else {
                    merge_into(existing[i], e);
                }
                touched.insert(i);
            }
        }
        fix_primary(existing, touched);
        set(a, json::value(std::move(existing)));
        return {};
    }

    scim::result<void> sub_of_single(op_kind op, const target& t, const json::value& value) {
        const auto& a = t.attr;
        const auto& s = *t.sub;
        json::value have = current(a);
        json::object obj = have.is_object() ? have.get_object() : json::object();
        json::value v;
        if (op != op_kind::remove) {
            auto typed = normalise_scalar(value, s.type, s.mapping, t.label);
            if (!typed) {
                return typed.error();
            }
            v = std::move(*typed);
        }
        if (v.is_null()) {
            erase_members(obj, s.name);
        } else if (a.reference && ieq(s.name, "value")) {
            obj = json::object{{"value", std::move(v)}};  // a new id: derived parts are stale
        } else {
            put(obj, s.name, std::move(v));
        }
        set(a, json::value(std::move(obj)));
        return {};
    }

    scim::result<void> filtered(op_kind op, const target& t, const json::value& value) {
        const auto& a = t.attr;
        json::value have = current(a);
        json::array list = have.is_array() ? have.get_array() : json::array();
        const auto exact = [&](std::string_view sub) { return sub_case_exact(a, sub); };
        std::vector<std::size_t> matches;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (element_matches(*t.filter, list[i], exact)) {
                matches.push_back(i);
            }
        }
        // The value: a sub-attribute's or a whole element's; null clears (Entra null update).
        json::value v;
        if (op != op_kind::remove) {
            auto typed = t.sub ? normalise_scalar(value, t.sub->type, t.sub->mapping, t.label)
                               : normalise_element(a, unwrap_value(value), t.label);
            if (!typed) {
                return typed.error();
            }
            v = std::move(*typed);
        }
        const bool clearing = v.is_null();
        if (clearing) {
            // RFC 7644 §3.5.2.2: matching values (or their sub-attribute) are removed; a filter
            // matching nothing removes nothing and is not an error (IdPs retry removals).
            for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
                auto& e = list[*it];
                if (t.sub && e.is_object()) {
                    erase_members(e.get_object(), t.sub->name);
                }
                if (!t.sub || is_hollow(e)) {
                    list.erase(list.begin() + static_cast<std::ptrdiff_t>(*it));
                }
            }
            set(a, json::value(std::move(list)));
            return {};
        }
        auto built = element_from_filter(*t.filter);
        json::value from_filter;
        if (built && !a.complex) {
            // subjects[value eq "math"]: a simple element is the value itself.
            if (const auto* self = find_member(*built, "value")) {
                from_filter = *self;
            }
        } else if (built) {
            auto canonical = normalise_element(a, json::value(*built), t.label);
            if (!canonical) {
                return canonical.error();
            }
            from_filter = std::move(*canonical);
        }
        std::set<std::size_t> touched;
        if (matches.empty()) {
            // RFC 7644 §3.5.2.3 answers noTarget when a value filter matches nothing; Entra
            // sends `replace emails[type eq "work"].value` for a user without a work email and
            // expects it created (IDP-QUIRKS §2), so an element the filter describes is made.
            if (!built) {
                return fail(errc::no_target, "path \"" + t.label + "\" matched no value");
            }
            json::value e = from_filter.is_null() ? json::value(json::object()) : from_filter;
            set_into(e, t, v);
            list.push_back(std::move(e));
            touched.insert(list.size() - 1);
        } else {
            for (const auto i : matches) {
                if (!t.sub && op == op_kind::replace) {
                    // The matching values are replaced; the filter's type stays theirs.
                    json::value e =
                        from_filter.is_null() ? json::value(json::object()) : from_filter;
                    merge_into(e, v);
                    list[i] = std::move(e);
                } else {
                    set_into(list[i], t, v);
                }
                touched.insert(i);
            }
        }
        fix_primary(list, touched);
        set(a, json::value(std::move(list)));
        return {};
    }

    static json::value unwrap_value(const json::value& v) {
        if (v.is_array() && v.get_array().size() == 1) {
            return v.get_array().front();
        }
        return v;
    }

    static void set_into(json::value& element, const target& t, const json::value& v) {
        if (!t.sub) {
            merge_into(element, v);
            return;
        }
        if (!element.is_object()) {
            element = json::object();
        }
        put(element.get_object(), t.sub->name, v);
    }

    // ---- one attribute deferred (split_patch) ------------------------------------------------

    // Whether `p` is on the deferred attribute (whole, filtered or a sub-attribute). A path that
    // names nothing mapped is not: apply_patch reports it with the other operations.
    bool is_deferred(const patch_path& p, const std::string& label,
                     std::string_view deferred) const {
        const auto a = describe(p.attribute.schema, p.attribute.name, label);
        return a && a->core && ieq(a->name, deferred);
    }

    // One operation on the deferred attribute, `value` its value. What the delta cannot say
    // (or an invalid path, which apply_patch then reports in the order of the operations) needs
    // the values.
    scim::result<void> defer(op_kind op, const patch_path& p, const std::string& label,
                             const json::value& value, patch_split& out) const {
        const auto t = resolve(p, label);
        if (!t || !check_writable(*t) || t->sub || !t->attr.multi_valued || !t->attr.reference) {
            out.needs_values = true;
            return {};
        }
        if (t->filter) {
            const auto ids = value_eq_literals(*t->filter);
            if (!ids || op != op_kind::remove) {
                out.needs_values = true;
                return {};
            }
            out.deferred.remove(*ids);  // RFC 7644 §3.5.2.2: no match is not an error
            return {};
        }
        if (op == op_kind::remove && is_empty(value)) {
            out.deferred.replace({});  // remove all
            return {};
        }
        auto ids = ids_in(t->attr, value, label);
        if (!ids) {
            return ids.error();
        }
        switch (op) {
            case op_kind::add:
                out.deferred.add(*ids);
                break;
            case op_kind::replace:
                out.deferred.replace(*ids);
                break;
            case op_kind::remove:
                // Entra's default job and JumpCloud list the members to remove as "value"
                // (IDP-QUIRKS R12): only those go.
                out.deferred.remove(*ids);
                break;
        }
        return {};
    }

    // The ids a value lists, its elements normalised as add and replace store them. An element
    // that names no id ({"display": "x"}) is refused, not skipped as a list element would be:
    // the client meant a member. An empty one ("", {}, {"value": ""}) adds none, as in add.
    scim::result<std::vector<std::string>> ids_in(const attribute_info& a, const json::value& v,
                                                  const std::string& label) const {
        std::vector<std::string> ids;
        for (const auto& item : elements_of(v)) {
            auto e = normalise_element(a, item, label);
            if (!e) {
                return e.error();
            }
            const auto* id = e->is_object() ? find_member(e->get_object(), "value") : nullptr;
            if (id != nullptr && id->is_string()) {
                ids.emplace_back(id->get_string());
                continue;
            }
            if (!is_empty_id(item)) {
                return fail(errc::invalid_value,
                            "'" + label + "' values need a \"value\" (the member's id)");
            }
        }
        return ids;
    }

    // An element that clears rather than names a member: empty, or an empty "value".
    static bool is_empty_id(const json::value& element) {
        if (is_empty(element)) {
            return true;
        }
        const auto* id = element.is_object() ? find_member(element.get_object(), "value") : nullptr;
        return id != nullptr && id->is_string() && id->get_string().empty();
    }

    // ---- no path, extension URNs ----------------------------------------------------------

    // RFC 7644 §3.5.2.1/§3.5.2.3 without "path": each key of the value is an attribute; keys
    // may be dotted or URN-qualified paths (IDP-QUIRKS R2) or an extension URN with an object.
    scim::result<void> apply_object(op_kind op, const json::object& value,
                                    std::string_view schema) {
        for (const auto& [key, v] : value) {
            if (schema.empty() && ieq(key, "schemas")) {
                continue;
            }
            if (const auto* urn = schema.empty() ? extension_urn(key) : nullptr) {
                if (auto done = apply_extension(op, *urn, v); !done) {
                    return done;
                }
                continue;
            }
            const std::string text =
                schema.empty() ? std::string(key) : std::string(schema) + ":" + std::string(key);
            auto parsed = parse_path(text);
            if (!parsed) {
                const auto e = parsed.error();
                return fail(errc::invalid_path, "value key \"" + text + "\": " + e.message);
            }
            auto known = describe(parsed->attribute.schema, parsed->attribute.name, text);
            if (!known) {
                // Clearing something the profile does not store changes nothing ("roles": []).
                if (is_empty(v)) {
                    continue;
                }
                return known.error();
            }
            // IDP-QUIRKS R14: Okta's group rename sends {"id": ..., "displayName": ...}; id,
            // meta and groups in a value object are ignored, not refused.
            if (all_read_only(*known)) {
                continue;
            }
            auto t = resolve(*parsed, text);
            if (!t) {
                return t.error();
            }
            if (auto writable = check_writable(*t); !writable) {
                return writable;
            }
            if (auto done = apply_target(op, *t, v); !done) {
                return done;
            }
        }
        return {};
    }

    scim::result<void> apply_extension(op_kind op, const std::string& urn, const json::value& v) {
        if (op == op_kind::remove || (op == op_kind::replace && is_empty(v))) {
            auto* ext = find_member(res_, urn);
            if (ext == nullptr || !ext->is_object()) {
                erase_members(res_, urn);
                return {};
            }
            std::vector<std::string> names;
            for (const auto& kv : ext->get_object()) {
                names.emplace_back(kv.key());
            }
            for (const auto& name : names) {
                auto a = describe(urn, name, urn + ":" + name);
                if (!a) {
                    if (auto* e = find_member(res_, urn); e != nullptr && e->is_object()) {
                        erase_members(e->get_object(), name);
                    }
                    continue;
                }
                target t;
                t.label = urn + ":" + name;
                t.attr = std::move(*a);
                if (auto done = apply_target(op_kind::remove, t, json::value()); !done) {
                    return done;
                }
            }
            drop_extension_if_empty(urn);
            return {};
        }
        if (!v.is_object()) {
            return fail(errc::invalid_value,
                        "\"" + urn + "\" needs an object of the extension's attributes");
        }
        return apply_object(op, v.get_object(), urn);
    }
};

}  // namespace

scim::result<json::object> apply_patch(const resource_profile& resource, json::object current,
                                       const std::vector<patch_operation>& ops) {
    patcher p(resource, current);
    for (const auto& op : ops) {
        if (auto done = p.apply(op); !done) {
            return done.error();
        }
    }
    return current;
}

scim::result<patch_split> split_patch(const resource_profile& resource,
                                      const std::vector<patch_operation>& ops,
                                      std::string_view deferred_attribute) {
    json::object unread;  // splitting reads the profile only
    patcher p(resource, unread);
    patch_split out;
    for (const auto& op : ops) {
        if (auto done = p.split(op, deferred_attribute, out); !done) {
            return done.error();
        }
    }
    return out;
}

scim::result<std::vector<std::string>> reference_ids(const resource_profile& resource,
                                                     std::string_view attribute,
                                                     const json::value& value) {
    json::object unread;
    const patcher p(resource, unread);
    return p.ids_of(attribute, value);
}

}  // namespace scimldap::mapping
