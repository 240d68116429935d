#include "mapping/filter_translate.hpp"

#include "bridge/ldap/escape.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/value_codec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <cctype>

namespace scimldap::mapping {
namespace {

using boost::algorithm::iequals;

scim::error unsupported(const filter_node& n, std::string why) {
    return {scim::errc::invalid_filter, why + " (at position " + std::to_string(n.position) + ")"};
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

std::string lower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

bool is_reference(const attribute_mapping& m) {
    return m.type == value_type::reference && !m.ldap.empty();
}

class translator {
public:
    explicit translator(const resource_profile& resource, const reference_dns* references = nullptr)
        : resource_(resource), references_(references) {}

    scim::result<std::string> node(const filter_node& n) {
        switch (n.type) {
            case filter_node::kind::and_:
            case filter_node::kind::or_: {
                auto l = node(n.children.at(0));
                if (!l) {
                    return l;
                }
                auto r = node(n.children.at(1));
                if (!r) {
                    return r;
                }
                return std::string(n.type == filter_node::kind::and_ ? "(&" : "(|") + *l + *r + ")";
            }
            case filter_node::kind::not_: {
                auto inner = node(n.children.at(0));
                if (!inner) {
                    return inner;
                }
                return "(!" + *inner + ")";
            }
            case filter_node::kind::value_path:
                return value_path(n);
            case filter_node::kind::compare:
            case filter_node::kind::present:
                return attribute_test(n, n.path, nullptr);
        }
        return unsupported(n, "unsupported filter");
    }

private:
    /// `emails[type eq "work" and value co "@x"]`: the selector picks the mapping, the rest
    /// tests its sub-attributes.
    scim::result<std::string> value_path(const filter_node& n) {
        std::vector<const filter_node*> terms;
        collect_and(n.children.at(0), terms);
        std::optional<value_selector> selector;
        std::vector<const filter_node*> tests;
        for (const auto* t : terms) {
            if (t->type == filter_node::kind::compare && t->op == compare_op::eq &&
                std::holds_alternative<std::string>(t->value) && is_selector(n.path, t->path)) {
                selector = value_selector{t->path.name, std::get<std::string>(t->value)};
            } else if (t->type == filter_node::kind::compare ||
                       t->type == filter_node::kind::present) {
                tests.push_back(t);
            } else {
                return unsupported(*t, "only 'and' is supported inside a value filter");
            }
        }
        std::string out;
        for (const auto* t : tests) {
            attr_path p{n.path.schema, n.path.name, t->path.name};
            auto r = attribute_test(*t, p, selector ? &*selector : nullptr);
            if (!r) {
                return r;
            }
            out += *r;
        }
        if (tests.empty()) {
            // Only the selector: the element exists when its mapped value is present.
            attr_path p{n.path.schema, n.path.name, "value"};
            filter_node present = n;
            present.type = filter_node::kind::present;
            return attribute_test(present, p, selector ? &*selector : nullptr);
        }
        return tests.size() == 1 ? out : "(&" + out + ")";
    }

    static void collect_and(const filter_node& n, std::vector<const filter_node*>& out) {
        if (n.type == filter_node::kind::and_) {
            collect_and(n.children.at(0), out);
            collect_and(n.children.at(1), out);
        } else {
            out.push_back(&n);
        }
    }

    bool is_selector(const attr_path& parent, const attr_path& p) const {
        for (const auto* m : resource_.find_all({parent.schema, parent.name, ""})) {
            if (m->scim.selector && iequals(m->scim.selector->attribute, p.name)) {
                return true;
            }
        }
        return false;
    }

    std::vector<const attribute_mapping*> mappings_for(const attr_path& path,
                                                       const value_selector* selector) {
        std::vector<const attribute_mapping*> out;
        if (selector != nullptr) {
            if (const auto* m = resource_.find(path, selector)) {
                out.push_back(m);
            }
            return out;
        }
        if (const auto* m = resource_.find(path)) {
            out.push_back(m);
            return out;
        }
        // `emails.value` without a selector: any of the selected mappings (work, home, ...).
        // `emails` alone tests the value sub-attribute (RFC 7644 §3.4.2.2 example).
        attr_path p = path;
        if (p.sub_attribute.empty()) {
            p.sub_attribute = "value";
        }
        for (const auto* m : resource_.find_all(p)) {
            out.push_back(m);
        }
        return out;
    }

    scim::result<std::string> attribute_test(const filter_node& n, const attr_path& path,
                                             const value_selector* selector) {
        const auto mappings = mappings_for(path, selector);
        if (mappings.empty()) {
            return unsupported(n, "attribute '" + to_string(path) +
                                      "' is not mapped on this server and cannot be filtered");
        }
        std::string out;
        for (const auto* m : mappings) {
            auto r = one_mapping(n, *m);
            if (!r) {
                return r;
            }
            out += *r;
        }
        return mappings.size() == 1 ? out : "(|" + out + ")";
    }

    scim::result<std::string> one_mapping(const filter_node& n, const attribute_mapping& m) {
        const std::string name = to_string(n.path);
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
        const std::string& attr = m.ldap;
        if (n.type == filter_node::kind::present) {
            return "(" + attr + "=*)";
        }
        if (std::holds_alternative<std::nullptr_t>(n.value)) {
            // RFC 7644 §3.4.2.2: comparing with null is "not present" / "present".
            if (n.op == compare_op::eq) {
                return "(!(" + attr + "=*))";
            }
            if (n.op == compare_op::ne) {
                return "(" + attr + "=*)";
            }
            return unsupported(n, "null can only be compared with eq or ne");
        }
        std::string error;
        std::optional<std::string> value;
        if (m.type == value_type::string || m.type == value_type::binary) {
            if (!std::holds_alternative<std::string>(n.value)) {
                return unsupported(n, "attribute '" + name +
                                          "' is a string: compare it with a "
                                          "quoted value");
            }
            value = std::get<std::string>(n.value);
        } else {
            value = to_ldap_value(m.type, to_json(n.value), &error);
            if (!value) {
                return unsupported(n, "attribute '" + name + "' " + error);
            }
        }
        const std::string v = ldap::filter_escape_value(*value);
        switch (n.op) {
            case compare_op::eq:
                return "(" + attr + "=" + v + ")";
            case compare_op::ne:
                return "(!(" + attr + "=" + v + "))";
            case compare_op::co:
                return "(" + attr + "=*" + v + "*)";
            case compare_op::sw:
                return "(" + attr + "=" + v + "*)";
            case compare_op::ew:
                return "(" + attr + "=*" + v + ")";
            case compare_op::ge:
                return "(" + attr + ">=" + v + ")";
            case compare_op::le:
                return "(" + attr + "<=" + v + ")";
            case compare_op::gt:
                // LDAP has no strict order: >= minus equality.
                return "(&(" + attr + ">=" + v + ")(!(" + attr + "=" + v + ")))";
            case compare_op::lt:
                return "(&(" + attr + "<=" + v + ")(!(" + attr + "=" + v + ")))";
        }
        return unsupported(n, "unsupported operator");
    }

    scim::result<std::string> active_test(const filter_node& n, const attribute_mapping& m) {
        if (!resource_.active) {
            return unsupported(n, "attribute 'active' cannot be filtered");
        }
        const auto& s = *resource_.active;
        if (n.type == filter_node::kind::present) {
            return std::string("(objectClass=*)");  // every account has an active state
        }
        std::string error;
        const auto v = to_ldap_value(value_type::boolean, to_json(n.value), &error);
        if (!v || (n.op != compare_op::eq && n.op != compare_op::ne)) {
            return unsupported(n, "attribute 'active' is compared with eq or ne and a boolean");
        }
        const bool want_active = (*v == "TRUE") == (n.op == compare_op::eq);
        std::string locked;
        if (s.how == active_settings::strategy::ppolicy_lock) {
            locked = "(" + s.ldap + "=*)";
        } else {
            const std::string inactive =
                "(" + s.ldap + "=" + ldap::filter_escape_value(s.false_value) + ")";
            locked = s.absent_means_active ? inactive : "(|" + inactive + "(!(" + s.ldap + "=*)))";
        }
        (void)m;
        return want_active ? "(!" + locked + ")" : locked;
    }

    /// members.value eq "id" → (member=<DN of id>): the DN was looked up by the caller.
    scim::result<std::string> reference_test(const filter_node& n, const attribute_mapping& m,
                                             const std::string& name) {
        if (references_ == nullptr || m.ldap.empty()) {
            return unsupported(n, "filtering on '" + name + "' is not supported");
        }
        const std::string& attr = m.ldap;
        if (n.type == filter_node::kind::present) {
            if (m.kind == behaviour::members && resource_.members &&
                !resource_.members->placeholder_dn.empty()) {
                // An empty group holds only the placeholder, which SCIM never shows.
                return "(&(" + attr + "=*)(!(" + attr + "=" +
                       ldap::filter_escape_value(resource_.members->placeholder_dn.str()) + ")))";
            }
            return "(" + attr + "=*)";
        }
        if (!std::holds_alternative<std::string>(n.value) ||
            (n.op != compare_op::eq && n.op != compare_op::ne)) {
            return unsupported(n, "attribute '" + name +
                                      "' holds resource ids: compare it with eq or ne and a "
                                      "quoted id");
        }
        const auto it = references_->find(lower(std::get<std::string>(n.value)));
        // An id that names nothing in this tenant matches nothing (it is no error in a query).
        const std::string test =
            it == references_->end()
                ? std::string("(!(objectClass=*))")
                : "(" + attr + "=" + ldap::filter_escape_value(it->second.str()) + ")";
        return n.op == compare_op::eq ? test : "(!" + test + ")";
    }

    const resource_profile& resource_;
    const reference_dns* references_;
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

scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter,
                                            const reference_dns& references) {
    auto inner = translator(resource, &references).node(filter);
    if (!inner) {
        return inner.error();
    }
    return ldap::filter("(&" + resource.search_filter.str() + *inner + ")");
}

scim::result<ldap::filter> translate_filter(const resource_profile& resource,
                                            const filter_node& filter) {
    auto inner = translator(resource).node(filter);
    if (!inner) {
        return inner.error();
    }
    return ldap::filter("(&" + resource.search_filter.str() + *inner + ")");
}

}  // namespace scimldap::mapping
