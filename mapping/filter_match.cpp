#include "mapping/filter_match.hpp"

#include "mapping/value_codec.hpp"
#include "mapping/value_filter.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"
#include "mapping/string_compare.hpp"

#include <string>
#include <vector>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using ascii::iequals;

bool is_empty(const json::value& v) {
    return v.is_null() || (v.is_string() && v.get_string().empty()) ||
           (v.is_array() && v.get_array().empty()) || (v.is_object() && v.get_object().empty());
}

/// GeneralizedTime in UTC split so instants compare: whole seconds, then the fraction.
std::optional<std::pair<std::string, double>> instant(std::string_view xsd) {
    const auto g = xsd_to_generalized_time(xsd);
    if (!g || g->size() < 15) {
        return std::nullopt;
    }
    double fraction = 0;
    if ((*g)[14] == '.' || (*g)[14] == ',') {
        const std::string digits = g->substr(15, g->size() - 16);
        fraction = std::stod("0." + (digits.empty() ? std::string("0") : digits));
    }
    return std::pair{g->substr(0, 14), fraction};
}

struct leaf_rules {
    value_type type = value_type::string;
    bool case_exact = false;
};

bool compare_leaf(compare_op op, const json::value& have, const literal& want,
                  const leaf_rules& rules) {
    if (const auto* s = std::get_if<std::string>(&want)) {
        if (!have.is_string()) {
            return false;
        }
        if (rules.type == value_type::date_time) {
            const auto a = instant(have.get_string());
            const auto b = instant(*s);
            if (!a || !b) {
                return false;
            }
            const int c = a->first != b->first ? a->first.compare(b->first)
                                               : (a->second < b->second   ? -1
                                                  : a->second > b->second ? 1
                                                                          : 0);
            return comparison_holds(op, c);
        }
        return string_comparison_holds(op, have.get_string(), *s, rules.case_exact);
    }
    if (const auto* b = std::get_if<bool>(&want)) {
        std::optional<bool> v;
        if (have.is_bool()) {
            v = have.get_bool();
        } else if (have.is_string() &&
                   (iequals(have.get_string(), "true") || iequals(have.get_string(), "false"))) {
            v = iequals(have.get_string(), "true");
        }
        return v && comparison_holds(op, *v == *b ? 0 : 1) &&
               (op == compare_op::eq || op == compare_op::ne);
    }
    const double w = std::holds_alternative<std::int64_t>(want)
                         ? static_cast<double>(std::get<std::int64_t>(want))
                         : std::get<double>(want);
    if (!have.is_number()) {
        return false;
    }
    const double h = have.to_number<double>();
    return comparison_holds(op, h < w ? -1 : (h > w ? 1 : 0));
}

class evaluator {
public:
    explicit evaluator(const resource_profile& p) : p_(p) {}

    bool matches(const filter_node& n, const json::object& res) const {
        switch (n.type) {
            case filter_node::kind::and_:
                return matches(n.children.at(0), res) && matches(n.children.at(1), res);
            case filter_node::kind::or_:
                return matches(n.children.at(0), res) || matches(n.children.at(1), res);
            case filter_node::kind::not_:
                return !matches(n.children.at(0), res);
            case filter_node::kind::value_path:
                return value_path(n, res);
            case filter_node::kind::present: {
                const auto values = operands(n.path, res, false);
                return std::any_of(values.begin(), values.end(),
                                   [](const json::value* v) { return !is_empty(*v); });
            }
            case filter_node::kind::compare:
                return compare(n, res);
        }
        return false;
    }

private:
    /// The attribute's top-level value: core first, then the extension that has it when the
    /// filter gave no URN (as profile lookups do).
    const json::value* top(const attr_path& path, const json::object& res) const {
        if (!path.schema.empty() && !iequals(path.schema, p_.schema)) {
            const auto* ext = find_member(res, path.schema);
            return ext && ext->is_object() ? find_member(ext->get_object(), path.name) : nullptr;
        }
        if (const auto* v = find_member(res, path.name)) {
            return v;
        }
        if (path.schema.empty()) {
            for (const auto& e : p_.extensions) {
                const auto* ext = find_member(res, e.urn);
                if (ext && ext->is_object()) {
                    if (const auto* v = find_member(ext->get_object(), path.name)) {
                        return v;
                    }
                }
            }
        }
        return nullptr;
    }

    /// The values a path names: each element's sub-attribute for multi-valued attributes
    /// (`emails` alone: each element's value, unless `whole` asks for the elements).
    std::vector<const json::value*> operands(const attr_path& path, const json::object& res,
                                             bool value_by_default = true) const {
        std::vector<const json::value*> out;
        const auto* v = top(path, res);
        if (v == nullptr) {
            return out;
        }
        const std::string_view sub = !path.sub_attribute.empty()
                                         ? std::string_view(path.sub_attribute)
                                     : value_by_default ? std::string_view("value")
                                                        : std::string_view();
        auto take = [&](const json::value& item) {
            if (item.is_object()) {
                if (sub.empty()) {
                    out.push_back(&item);
                } else if (const auto* s = find_member(item.get_object(), sub)) {
                    out.push_back(s);
                }
            } else if (path.sub_attribute.empty()) {
                out.push_back(&item);
            }
        };
        if (v->is_array()) {
            for (const auto& item : v->get_array()) {
                take(item);
            }
        } else {
            take(*v);
        }
        return out;
    }

    const attribute_mapping* mapping_of(const attr_path& path) const {
        if (const auto* m = p_.find(path)) {
            return m;
        }
        attr_path p = path;
        if (p.sub_attribute.empty()) {
            p.sub_attribute = "value";
        }
        const auto all = p_.find_all(p);
        return all.empty() ? nullptr : all.front();
    }

    /// Ids (the resource's own and those a reference holds: members.value, groups.value,
    /// manager.value) are entryUUIDs: LDAP compares them case-insensitively, and so does the
    /// re-check (RFC 7643 §8.7.1: their "value" is not caseExact).
    static bool compares_exactly(const attribute_mapping& m) {
        return m.case_exact && m.kind != behaviour::id && m.type != value_type::reference;
    }

    leaf_rules rules_of(const attr_path& path) const {
        const auto* m = mapping_of(path);
        if (m == nullptr) {
            return {};
        }
        return {m->type, compares_exactly(*m)};
    }

    bool compare(const filter_node& n, const json::object& res) const {
        const auto values = operands(n.path, res);
        if (std::holds_alternative<std::nullptr_t>(n.value)) {
            const bool present = std::any_of(values.begin(), values.end(),
                                             [](const json::value* v) { return !is_empty(*v); });
            return n.op == compare_op::eq ? !present : n.op == compare_op::ne && present;
        }
        const auto rules = rules_of(n.path);
        if (n.op == compare_op::ne) {
            // No value equals the literal (an absent attribute matches, as in LDAP's (!(a=v))).
            return std::none_of(values.begin(), values.end(), [&](const json::value* v) {
                return compare_leaf(compare_op::eq, *v, n.value, rules);
            });
        }
        return std::any_of(values.begin(), values.end(), [&](const json::value* v) {
            return compare_leaf(n.op, *v, n.value, rules);
        });
    }

    bool value_path(const filter_node& n, const json::object& res) const {
        const auto elements = operands(attr_path{n.path.schema, n.path.name, ""}, res, false);
        const auto case_exact = [&](std::string_view sub) {
            const auto* m = mapping_of(attr_path{n.path.schema, n.path.name, std::string(sub)});
            return m != nullptr && compares_exactly(*m);
        };
        return std::any_of(elements.begin(), elements.end(), [&](const json::value* e) {
            return element_matches(n.children.at(0), *e, case_exact);
        });
    }

    const resource_profile& p_;
};

}  // namespace

bool resource_matches(const resource_profile& profile, const filter_node& filter,
                      const json::object& resource) {
    return evaluator(profile).matches(filter, resource);
}

}  // namespace scimldap::mapping
