#include "mapping/filter_translate.hpp"

#include "base/filter_builder.hpp"

#include "base/ascii_case.hpp"
#include "base/escape.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/ldap_syntax.hpp"
#include "mapping/string_compare.hpp"
#include "mapping/value_codec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace scimldap::mapping {
namespace {

using ascii::iequals;

scim::error unsupported(const filter_node& n, std::string why) {
    return {scim::errc::invalid_filter, why + " (at position " + std::to_string(n.position) + ")"};
}

std::string_view op_name(compare_op op) {
    static constexpr std::string_view names[] = {"eq", "ne", "co", "sw", "ew",
                                                 "gt", "ge", "lt", "le"};
    return names[static_cast<int>(op)];
}

bool is_substring(compare_op op) {
    return op == compare_op::co || op == compare_op::sw || op == compare_op::ew;
}

bool is_ordering(compare_op op) {
    return op == compare_op::gt || op == compare_op::ge || op == compare_op::lt ||
           op == compare_op::le;
}

boost::json::value to_json(const literal& v) {
    return std::visit(
        [](const auto& x) -> boost::json::value {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                return nullptr;
            } else if constexpr (std::is_same_v<T, std::string>) {
                return boost::json::value(boost::json::string(x));
            } else {
                return boost::json::value(x);
            }
        },
        v);
}

/// Part of a translation: an LDAP filter, or a condition known without asking LDAP (a value
/// path's selector such as `type eq "work"` is true for the work element, false for the others).
struct piece {
    enum class kind { always, never, ldap };
    kind type = kind::ldap;
    std::string text;
    /// True when it can only hold where the tested element has a value (so the element exists).
    bool implies_present = false;
};

piece always() {
    return {piece::kind::always, "", false};
}
piece never() {
    return {piece::kind::never, "", true};  // vacuously: it never holds at all
}
piece ldap_piece(std::string text, bool implies_present) {
    return {piece::kind::ldap, std::move(text), implies_present};
}

/// `&` or `|` of pieces, folding constants and flattening to one LDAP operator.
piece combine(bool conjunction, const std::vector<piece>& parts) {
    std::vector<const piece*> kept;
    bool implies = !conjunction;
    for (const auto& p : parts) {
        if (p.type == (conjunction ? piece::kind::never : piece::kind::always)) {
            return p;  // absorbing element
        }
        if (p.type == piece::kind::ldap) {
            kept.push_back(&p);
            implies = conjunction ? implies || p.implies_present : implies && p.implies_present;
        }
    }
    if (kept.empty()) {
        return conjunction ? always() : never();
    }
    if (kept.size() == 1) {
        return *kept.front();
    }
    std::vector<ldap::filter> filters;
    for (const auto* p : kept) {
        filters.emplace_back(p->text);
    }
    const auto joined =
        conjunction ? ldap::filters::all_of(filters) : ldap::filters::any_of(filters);
    return ldap_piece(joined.str(), implies);
}

piece negate(const piece& p) {
    switch (p.type) {
        case piece::kind::always:
            return never();
        case piece::kind::never:
            return always();
        case piece::kind::ldap:
            break;
    }
    if (p.text.starts_with("(!") && p.text.size() > 3) {
        // (!(!x)) is x: strip the negation when it wraps exactly one filter.
        const std::string_view inner = std::string_view(p.text).substr(2, p.text.size() - 3);
        int depth = 0;
        std::size_t closes_at = 0;
        for (std::size_t i = 0; i < inner.size(); ++i) {
            if (inner[i] == '\\') {
                ++i;  // escaped byte (filter values use \XX, never raw parentheses)
            } else if (inner[i] == '(') {
                ++depth;
            } else if (inner[i] == ')' && --depth == 0) {
                closes_at = i;
                break;
            }
        }
        if (closes_at + 1 == inner.size()) {
            return ldap_piece(std::string(inner), false);
        }
    }
    return ldap_piece(ldap::filters::negation(ldap::filter(p.text)).str(), false);
}

std::string render(const piece& p) {
    switch (p.type) {
        case piece::kind::always:
            return ldap::filters::everything().str();
        case piece::kind::never:
            return ldap::filters::nothing().str();
        case piece::kind::ldap:
            break;
    }
    return p.text;
}

/// The elements of a complex attribute that the profile maps: one per selector value
/// (`emails[type eq "work"]`), or one for an attribute without selectors (`name`).
struct element_group {
    const value_selector* selector = nullptr;
    bool primary = false;
    std::vector<const attribute_mapping*> mappings;  // by their sub_attribute
    const attribute_mapping* sub(std::string_view name) const {
        for (const auto* m : mappings) {
            if (iequals(m->scim.sub_attribute, name)) {
                return m;
            }
        }
        return nullptr;
    }
};

/// Compares a constant (a selector's value) with a literal the way SCIM would, case-insensitively
/// (RFC 7643 §4.1.2: "type" values are not case-exact).
bool constant_matches(compare_op op, std::string_view have, const literal& value) {
    const auto* want = std::get_if<std::string>(&value);
    if (want == nullptr) {
        return op == compare_op::ne;
    }
    return string_comparison_holds(op, have, *want, /*case_exact=*/false);
}

bool is_reference(const attribute_mapping& m) {
    return m.type == value_type::reference && !m.ldap.empty();
}

class translator {
public:
    explicit translator(const resource_profile& resource, const reference_dns* references)
        : resource_(resource), references_(references) {}

    bool recheck() const { return recheck_; }
    const std::vector<std::string>& attributes() const { return attributes_; }

    /// `negated`: the node sits under an odd number of `not`s. Where LDAP can only give a
    /// superset of a test, that superset is used in positive position and "never" (a subset)
    /// in negative position; the re-check then makes the answer exact.
    scim::result<piece> node(const filter_node& n, bool negated) {
        switch (n.type) {
            case filter_node::kind::and_:
            case filter_node::kind::or_: {
                auto l = node(n.children.at(0), negated);
                if (!l) {
                    return l;
                }
                auto r = node(n.children.at(1), negated);
                if (!r) {
                    return r;
                }
                return combine(n.type == filter_node::kind::and_, {*l, *r});
            }
            case filter_node::kind::not_: {
                auto inner = node(n.children.at(0), !negated);
                if (!inner) {
                    return inner;
                }
                return negate(*inner);
            }
            case filter_node::kind::value_path:
                return value_path(n, n.path, n.children.at(0), negated);
            case filter_node::kind::compare:
            case filter_node::kind::present:
                return attribute_test(n, negated);
        }
        return unsupported(n, "unsupported filter");
    }

private:
    /// `userName eq "x"`, `name.givenName sw "B"`; a complex attribute named without a mapping
    /// of its own (`emails co "@x"`, `name pr`, `emails.type eq "work"`) is a value path over its
    /// elements (RFC 7644 §3.4.2.2: `emails` alone compares the value sub-attribute).
    scim::result<piece> attribute_test(const filter_node& n, bool negated) {
        if (const auto* m = resource_.find(n.path); m != nullptr && !m->scim.selector) {
            return one_mapping(n, *m, negated);
        }
        filter_node inner = n;
        inner.path = attr_path{"", n.path.sub_attribute, ""};
        if (inner.path.name.empty() && n.type == filter_node::kind::compare) {
            inner.path.name = "value";
        }
        return value_path(n, attr_path{n.path.schema, n.path.name, ""}, inner, negated);
    }

    std::vector<element_group> groups_of(const attr_path& parent) const {
        std::vector<element_group> out;
        for (const auto* m : resource_.find_all(parent)) {
            if (m->scim.sub_attribute.empty()) {
                continue;  // a simple attribute: not a complex one's element
            }
            auto it = std::find_if(out.begin(), out.end(), [&](const element_group& g) {
                if (!g.selector || !m->scim.selector) {
                    return !g.selector && !m->scim.selector;
                }
                return iequals(g.selector->attribute, m->scim.selector->attribute) &&
                       iequals(g.selector->value, m->scim.selector->value);
            });
            if (it == out.end()) {
                out.push_back({m->scim.selector ? &*m->scim.selector : nullptr, false, {}});
                it = std::prev(out.end());
            }
            it->primary = it->primary || m->primary;
            it->mappings.push_back(m);
        }
        return out;
    }

    /// `emails[type eq "work" and value co "@x"]`: some element of the attribute satisfies the
    /// inner filter. Each mapped element is tested on its own LDAP attributes, the selector and
    /// `primary` are known per element, and the alternatives are ORed.
    scim::result<piece> value_path(const filter_node& at, const attr_path& parent,
                                   const filter_node& inner, bool negated) {
        const auto groups = groups_of(parent);
        if (groups.empty()) {
            return unmapped(at,
                            to_string(at.type == filter_node::kind::value_path ? parent : at.path));
        }
        if (auto known = check_sub_attributes(parent, groups, inner); !known) {
            return known.error();
        }
        std::vector<piece> alternatives;
        for (const auto& g : groups) {
            auto p = in_element(inner, g, negated);
            if (!p) {
                return p;
            }
            if (!p->implies_present) {
                p = combine(true, {exists(g), *p});
            }
            alternatives.push_back(std::move(*p));
        }
        return combine(false, alternatives);
    }

    /// Every sub-attribute the inner filter names exists on some element (else 400 naming it).
    scim::result<void> check_sub_attributes(const attr_path& parent,
                                            const std::vector<element_group>& groups,
                                            const filter_node& n) const {
        if (n.type != filter_node::kind::compare && n.type != filter_node::kind::present) {
            for (const auto& c : n.children) {
                if (auto ok = check_sub_attributes(parent, groups, c); !ok) {
                    return ok;
                }
            }
            return {};
        }
        const std::string& sub = n.path.name;
        if (sub.empty() || iequals(sub, "primary")) {
            return {};
        }
        const bool known = std::any_of(groups.begin(), groups.end(), [&](const element_group& g) {
            return g.sub(sub) != nullptr ||
                   (g.selector != nullptr && iequals(g.selector->attribute, sub));
        });
        if (!known || !n.path.sub_attribute.empty()) {
            return unmapped(n, to_string(attr_path{parent.schema, parent.name, sub}));
        }
        return {};
    }

    scim::result<piece> in_element(const filter_node& n, const element_group& g, bool negated) {
        switch (n.type) {
            case filter_node::kind::and_:
            case filter_node::kind::or_: {
                auto l = in_element(n.children.at(0), g, negated);
                if (!l) {
                    return l;
                }
                auto r = in_element(n.children.at(1), g, negated);
                if (!r) {
                    return r;
                }
                return combine(n.type == filter_node::kind::and_, {*l, *r});
            }
            case filter_node::kind::not_: {
                auto inner = in_element(n.children.at(0), g, !negated);
                if (!inner) {
                    return inner;
                }
                return negate(*inner);
            }
            case filter_node::kind::value_path:
                return unsupported(n, "a value path cannot be nested in another");
            case filter_node::kind::compare:
            case filter_node::kind::present:
                break;
        }
        const std::string& sub = n.path.name;
        if (sub.empty()) {  // `emails pr`: the element exists
            return exists(g);
        }
        if (const auto* m = g.sub(sub)) {
            return one_mapping(n, *m, negated);
        }
        if (g.selector != nullptr && iequals(g.selector->attribute, sub)) {
            return constant(n, g.selector->value);
        }
        if (iequals(sub, "primary")) {
            return constant_bool(n, g.primary);
        }
        // This element has no such sub-attribute: it is absent here.
        const bool absent_matches =
            n.type == filter_node::kind::compare &&
            (n.op == compare_op::ne ||
             (n.op == compare_op::eq && std::holds_alternative<std::nullptr_t>(n.value)));
        return absent_matches ? always() : never();
    }

    static piece constant(const filter_node& n, const std::string& value) {
        if (n.type == filter_node::kind::present) {
            return always();
        }
        if (std::holds_alternative<std::nullptr_t>(n.value)) {
            return n.op == compare_op::ne ? always() : never();
        }
        return constant_matches(n.op, value, n.value) ? always() : never();
    }

    static piece constant_bool(const filter_node& n, bool value) {
        if (n.type == filter_node::kind::present) {
            return value ? always() : never();  // primary is only rendered when true
        }
        const auto* want = std::get_if<bool>(&n.value);
        if (want == nullptr) {
            return n.op == compare_op::ne ? always() : never();
        }
        const bool equal = value && *want;  // absent primary is neither true nor false
        if (n.op == compare_op::eq) {
            return equal ? always() : never();
        }
        return n.op == compare_op::ne && !equal ? always() : never();
    }

    piece exists(const element_group& g) {
        std::vector<piece> any;
        for (const auto* m : g.mappings) {
            if (!m->ldap.empty()) {
                note(*m);
                any.push_back(presence(*m));
            }
        }
        return combine(false, any);
    }

    /// `(a=*)`; members ignore the placeholder an empty group holds, which SCIM never shows.
    piece presence(const attribute_mapping& m) const {
        if (m.kind == behaviour::members && resource_.members &&
            !resource_.members->placeholder_dn.empty()) {
            using namespace ldap::filters;
            const auto placeholder = equal(m.ldap, resource_.members->placeholder_dn.str());
            return ldap_piece(all_of({present(m.ldap), negation(placeholder)}).str(), true);
        }
        return ldap_piece(ldap::filters::present(m.ldap).str(), true);
    }

    static scim::error unmapped(const filter_node& n, const std::string& name) {
        return unsupported(
            n, "attribute '" + name + "' is not mapped on this server and cannot be filtered");
    }

    void note(const attribute_mapping& m) {
        const std::string& a = m.ldap;
        if (!a.empty() && std::none_of(attributes_.begin(), attributes_.end(),
                                       [&](const std::string& x) { return iequals(x, a); })) {
            attributes_.push_back(a);
        }
    }

    scim::result<piece> one_mapping(const filter_node& n, const attribute_mapping& m,
                                    bool negated) {
        const std::string name = m.scim.to_string(resource_.schema);
        switch (m.kind) {
            case behaviour::password:
                return unsupported(n, "attribute 'password' cannot be filtered");
            case behaviour::active:
                return active_test(n, m);
            default:
                break;
        }
        if (m.type == value_type::reference) {
            return reference_test(n, m, name);
        }
        if (m.ldap.empty()) {
            return unsupported(n, "attribute '" + name + "' cannot be filtered");
        }
        note(m);
        const std::string& attr = m.ldap;
        const auto present_filter = ldap::filters::present(attr);
        const std::string& present = present_filter.str();
        if (n.type == filter_node::kind::present) {
            return ldap_piece(present, true);
        }
        if (std::holds_alternative<std::nullptr_t>(n.value)) {
            // RFC 7644 §3.4.2.2: comparing with null is "not present" / "present".
            if (n.op == compare_op::eq) {
                return ldap_piece(ldap::filters::negation(present_filter).str(), false);
            }
            if (n.op == compare_op::ne) {
                return ldap_piece(present, true);
            }
            return unsupported(n, "null can only be compared with eq or ne");
        }
        const bool text = m.type == value_type::string && m.kind != behaviour::id;
        if (is_substring(n.op) && !text) {
            return unsupported(
                n, "operator '" + std::string(op_name(n.op)) + "' needs a string attribute; '" +
                       name + "' is " +
                       (m.kind == behaviour::id ? std::string("an opaque id")
                                                : "a " + std::string(to_string(m.type))));
        }
        if (is_ordering(n.op) && (m.type == value_type::boolean || m.type == value_type::binary)) {
            return unsupported(n, "operator '" + std::string(op_name(n.op)) + "' cannot order '" +
                                      name + "', a " + std::string(to_string(m.type)));
        }
        auto value = ldap_value(n, m, name);
        if (!value) {
            return value.error();
        }
        if (m.kind == behaviour::id && iequals(m.ldap, "entryUUID") && !is_uuid(*value) &&
            (n.op == compare_op::eq || n.op == compare_op::ne)) {
            // Ids are opaque to clients: a malformed one names no resource (slapd would reject
            // the assertion value).
            return n.op == compare_op::eq ? never() : always();
        }
        const std::string& v = *value;
        // Where LDAP's answer may differ from SCIM's, LDAP gives a superset (or its complement a
        // subset) and the bridge re-checks: caseExact strings on attributes whose matching rule
        // the bridge does not know, and string ordering (uid, mail, cn have no ORDERING rule).
        const bool inexact = text && (m.case_exact || is_ordering(n.op));
        if (inexact) {
            recheck_ = true;
        }
        if (n.op == compare_op::ne) {
            // not(eq): the inner equality sits in the opposite position.
            if (inexact && !negated) {
                return always();
            }
            return ldap_piece(comparison(attr, compare_op::ne, v), false);
        }
        if (inexact && negated) {
            return never();
        }
        if (text && is_ordering(n.op)) {
            return ldap_piece(present, true);
        }
        return ldap_piece(comparison(attr, n.op, v), true);
    }

    static scim::result<std::string> ldap_value(const filter_node& n, const attribute_mapping& m,
                                                const std::string& name) {
        if (m.type == value_type::string || m.type == value_type::binary) {
            if (!std::holds_alternative<std::string>(n.value)) {
                return unsupported(
                    n, "attribute '" + name + "' is a string: compare it with a quoted value");
            }
            return std::get<std::string>(n.value);
        }
        std::string error;
        auto value = to_ldap_value(m.type, to_json(n.value), &error);
        if (!value) {
            return unsupported(n, "attribute '" + name + "' " + error);
        }
        return std::move(*value);
    }

    static std::string comparison(const std::string& attr, compare_op op, const std::string& v) {
        using namespace ldap::filters;
        switch (op) {
            case compare_op::eq:
                return equal(attr, v).str();
            case compare_op::co:
                return contains(attr, v).str();
            case compare_op::sw:
                return starts_with(attr, v).str();
            case compare_op::ew:
                return ends_with(attr, v).str();
            case compare_op::ge:
                return at_least(attr, v).str();
            case compare_op::le:
                return at_most(attr, v).str();
            case compare_op::gt:
                // LDAP has no strict order: >= minus equality.
                return all_of({at_least(attr, v), negation(equal(attr, v))}).str();
            case compare_op::lt:
                return all_of({at_most(attr, v), negation(equal(attr, v))}).str();
            case compare_op::ne:
                break;
        }
        return negation(equal(attr, v)).str();
    }

    /// members.value eq "id" → (member=<DN of id>): the DN was looked up by the caller.
    scim::result<piece> reference_test(const filter_node& n, const attribute_mapping& m,
                                       const std::string& name) {
        if (references_ == nullptr || m.ldap.empty()) {
            return unsupported(n, "filtering on '" + name + "' is not supported");
        }
        note(m);
        if (n.type == filter_node::kind::present) {
            return presence(m);
        }
        if (!std::holds_alternative<std::string>(n.value) ||
            (n.op != compare_op::eq && n.op != compare_op::ne)) {
            return unsupported(n, "attribute '" + name +
                                      "' holds resource ids: compare it with eq or ne and a "
                                      "quoted id");
        }
        const auto it = references_->find(ascii::to_lower_copy(std::get<std::string>(n.value)));
        // An id that names nothing in this tenant matches nothing (it is no error in a query).
        const piece test =
            it == references_->end()
                ? never()
                : ldap_piece(ldap::filters::equal(m.ldap, it->second.str()).str(), true);
        return n.op == compare_op::eq ? test : negate(test);
    }

    scim::result<piece> active_test(const filter_node& n, const attribute_mapping& m) {
        if (!resource_.active) {
            return unsupported(n, "attribute 'active' cannot be filtered");
        }
        const auto& s = *resource_.active;
        for (const auto* a : {&s.ldap, &s.end_ldap}) {
            if (!a->empty() && std::none_of(attributes_.begin(), attributes_.end(),
                                            [&](const std::string& x) { return iequals(x, *a); })) {
                attributes_.push_back(*a);
            }
        }
        if (n.type == filter_node::kind::present) {
            return always();  // every account has an active state
        }
        std::string error;
        const auto v = to_ldap_value(value_type::boolean, to_json(n.value), &error);
        if (!v || (n.op != compare_op::eq && n.op != compare_op::ne)) {
            return unsupported(n, "attribute 'active' is compared with eq or ne and a boolean");
        }
        const bool want_active = (*v == "TRUE") == (n.op == compare_op::eq);
        using namespace ldap::filters;
        ldap::filter locked;
        if (s.how == active_settings::strategy::ppolicy_lock) {
            locked = s.end_ldap.empty() ? present(s.ldap)
                                        : any_of({present(s.ldap), equal(s.end_ldap, s.end_value)});
        } else {
            const auto inactive = equal(s.ldap, s.false_value);
            locked =
                s.absent_means_active ? inactive : any_of({inactive, negation(present(s.ldap))});
        }
        (void)m;
        return ldap_piece((want_active ? negation(locked) : locked).str(), false);
    }

    const resource_profile& resource_;
    const reference_dns* references_;
    bool recheck_ = false;
    std::vector<std::string> attributes_;
};

/// Whether a filter attribute (top level, or the parent of a value filter) is a reference.
bool names_reference(const resource_profile& resource, const attr_path& path) {
    for (const auto& m : resource.attributes) {
        if (is_reference(m) && iequals(m.scim.name, path.name) &&
            (path.schema.empty() || iequals(path.schema, m.scim.schema))) {
            return true;
        }
    }
    return false;
}

void collect_ids(const resource_profile& resource, const filter_node& n, const attr_path* parent,
                 std::vector<std::string>& out) {
    switch (n.type) {
        case filter_node::kind::compare: {
            const attr_path& owner = parent != nullptr ? *parent : n.path;
            if (names_reference(resource, owner) && std::holds_alternative<std::string>(n.value)) {
                out.push_back(std::get<std::string>(n.value));
            }
            return;
        }
        case filter_node::kind::value_path:
            for (const auto& c : n.children) {
                collect_ids(resource, c, &n.path, out);
            }
            return;
        default:
            for (const auto& c : n.children) {
                collect_ids(resource, c, parent, out);
            }
            return;
    }
}

}  // namespace

std::vector<std::string> reference_filter_ids(const resource_profile& resource,
                                              const filter_node& filter) {
    std::vector<std::string> out;
    collect_ids(resource, filter, nullptr, out);
    return out;
}

scim::result<translated_filter> translate_query_filter(const resource_profile& resource,
                                                       const filter_node& filter,
                                                       const reference_dns* references) {
    translator t(resource, references);
    auto inner = t.node(filter, false);
    if (!inner) {
        return inner.error();
    }
    translated_filter out;
    out.filter = ldap::filters::all_of({resource.search_filter, ldap::filter(render(*inner))});
    out.recheck = t.recheck();
    if (out.recheck) {
        out.attributes = t.attributes();
    }
    return out;
}

scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter,
                                            const reference_dns& references) {
    auto t = translate_query_filter(resource, filter, &references);
    if (!t) {
        return t.error();
    }
    return std::move(t->filter);
}

scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter) {
    auto t = translate_query_filter(resource, filter);
    if (!t) {
        return t.error();
    }
    return std::move(t->filter);
}

}  // namespace scimldap::mapping
