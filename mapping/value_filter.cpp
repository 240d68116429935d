#include "mapping/value_filter.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"
#include "mapping/string_compare.hpp"

#include <string>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

// The operand a filter path names inside an element; nullptr when absent.
const json::value* operand(const attr_path& path, const json::value& element) {
    if (!element.is_object()) {
        const bool names_element = ascii::iequals(path.name, "value") && path.sub_attribute.empty();
        return names_element ? &element : nullptr;
    }
    const auto* v = find_member(element.get_object(), path.name);
    if (v != nullptr && !path.sub_attribute.empty()) {
        v = v->is_object() ? find_member(v->get_object(), path.sub_attribute) : nullptr;
    }
    return v;
}

bool is_absent(const json::value* v) {
    return v == nullptr || v->is_null();
}

bool compare_string(compare_op op, const json::value& v, const std::string& literal_text,
                    bool exact) {
    if (!v.is_string()) {
        return op == compare_op::ne;
    }
    return string_comparison_holds(op, v.get_string(), literal_text, exact);
}

std::optional<bool> as_bool(const json::value& v) {
    if (v.is_bool()) {
        return v.get_bool();
    }
    // Entra sends booleans as "True"/"False" (IDP-QUIRKS R3); the resource may still hold one.
    if (v.is_string()) {
        if (ascii::iequals(v.get_string(), "true")) {
            return true;
        }
        if (ascii::iequals(v.get_string(), "false")) {
            return false;
        }
    }
    return std::nullopt;
}

std::optional<double> as_number(const json::value& v) {
    if (v.is_int64()) {
        return static_cast<double>(v.get_int64());
    }
    if (v.is_uint64()) {
        return static_cast<double>(v.get_uint64());
    }
    if (v.is_double()) {
        return v.get_double();
    }
    return std::nullopt;
}

bool compare(const filter_node& node, const json::value& element, const case_exact_lookup& exact) {
    const auto* v = operand(node.path, element);
    if (std::holds_alternative<std::nullptr_t>(node.value)) {
        const bool absent = is_absent(v);
        return node.op == compare_op::eq ? absent : node.op == compare_op::ne && !absent;
    }
    if (is_absent(v)) {
        return node.op == compare_op::ne;
    }
    if (const auto* s = std::get_if<std::string>(&node.value)) {
        const auto& name =
            node.path.sub_attribute.empty() ? node.path.name : node.path.sub_attribute;
        return compare_string(node.op, *v, *s, exact && exact(name));
    }
    if (const auto* b = std::get_if<bool>(&node.value)) {
        const auto have = as_bool(*v);
        if (!have) {
            return node.op == compare_op::ne;
        }
        return node.op == compare_op::eq ? *have == *b : node.op == compare_op::ne && *have != *b;
    }
    const double want = std::holds_alternative<std::int64_t>(node.value)
                            ? static_cast<double>(std::get<std::int64_t>(node.value))
                            : std::get<double>(node.value);
    const auto have = as_number(*v);
    if (!have) {
        return node.op == compare_op::ne;
    }
    return comparison_holds(node.op, *have < want ? -1 : (*have > want ? 1 : 0));
}

bool present(const json::value* v) {
    if (is_absent(v)) {
        return false;
    }
    if (v->is_string()) {
        return !v->get_string().empty();
    }
    if (v->is_array()) {
        return !v->get_array().empty();
    }
    if (v->is_object()) {
        return !v->get_object().empty();
    }
    return true;
}

}  // namespace

bool element_matches(const filter_node& filter, const json::value& element,
                     const case_exact_lookup& case_exact) {
    switch (filter.type) {
        case filter_node::kind::compare:
            return compare(filter, element, case_exact);
        case filter_node::kind::present:
            return present(operand(filter.path, element));
        case filter_node::kind::and_:
            return element_matches(filter.children.at(0), element, case_exact) &&
                   element_matches(filter.children.at(1), element, case_exact);
        case filter_node::kind::or_:
            return element_matches(filter.children.at(0), element, case_exact) ||
                   element_matches(filter.children.at(1), element, case_exact);
        case filter_node::kind::not_:
            return !element_matches(filter.children.at(0), element, case_exact);
        case filter_node::kind::value_path:
            return false;  // the path parser refuses nested value paths
    }
    return false;
}

std::optional<json::object> element_from_filter(const filter_node& filter) {
    if (filter.type == filter_node::kind::and_) {
        auto left = element_from_filter(filter.children.at(0));
        auto right = element_from_filter(filter.children.at(1));
        if (!left || !right) {
            return std::nullopt;
        }
        for (auto& [k, v] : *right) {
            (*left)[k] = v;
        }
        return left;
    }
    if (filter.type != filter_node::kind::compare || filter.op != compare_op::eq ||
        !filter.path.sub_attribute.empty()) {
        return std::nullopt;
    }
    json::object out;
    if (const auto* s = std::get_if<std::string>(&filter.value)) {
        out[filter.path.name] = *s;
    } else if (const auto* b = std::get_if<bool>(&filter.value)) {
        out[filter.path.name] = *b;
    } else if (const auto* i = std::get_if<std::int64_t>(&filter.value)) {
        out[filter.path.name] = *i;
    } else {
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<std::string>> value_eq_literals(const filter_node& filter) {
    if (filter.type == filter_node::kind::or_) {
        auto left = value_eq_literals(filter.children.at(0));
        auto right = value_eq_literals(filter.children.at(1));
        if (!left || !right) {
            return std::nullopt;
        }
        left->insert(left->end(), right->begin(), right->end());
        return left;
    }
    const auto* literal = std::get_if<std::string>(&filter.value);
    if (filter.type != filter_node::kind::compare || filter.op != compare_op::eq ||
        !ascii::iequals(filter.path.name, "value") || !filter.path.sub_attribute.empty() ||
        literal == nullptr) {
        return std::nullopt;
    }
    return std::vector<std::string>{*literal};
}

}  // namespace scimldap::mapping
