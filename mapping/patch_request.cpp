#include "mapping/patch_request.hpp"

#include "mapping/filter_parser.hpp"

#include <boost/json.hpp>
#include "base/ascii_case.hpp"
#include "mapping/json_keys.hpp"

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using scim::errc;

scim::error fail(errc code, std::string detail) {
    return scim::error{code, std::move(detail), std::nullopt};
}

std::string where(std::size_t index) {
    return "Operations[" + std::to_string(index) + "]";
}

scim::result<void> check_schemas(const json::object& body) {
    const auto* schemas = find_member(body, "schemas");
    if (schemas == nullptr || !schemas->is_array()) {
        return fail(errc::invalid_syntax,
                    "a PATCH body needs \"schemas\": [\"" + std::string(patch_op_schema) + "\"]");
    }
    for (const auto& s : schemas->get_array()) {
        if (s.is_string() && ascii::iequals(s.get_string(), patch_op_schema)) {
            return {};
        }
    }
    return fail(errc::invalid_syntax,
                "\"schemas\" must contain \"" + std::string(patch_op_schema) + "\"");
}

std::optional<patch_operation::op_kind> parse_op_name(std::string_view name) {
    // RFC 7644 names them in lower case; Entra sends "Add", "Replace", "Remove" (IDP-QUIRKS R1).
    if (ascii::iequals(name, "add")) {
        return patch_operation::op_kind::add;
    }
    if (ascii::iequals(name, "remove")) {
        return patch_operation::op_kind::remove;
    }
    if (ascii::iequals(name, "replace")) {
        return patch_operation::op_kind::replace;
    }
    return std::nullopt;
}

scim::result<patch_operation> parse_operation(const json::value& item, std::size_t index) {
    if (!item.is_object()) {
        return fail(errc::invalid_syntax, where(index) + " must be an object");
    }
    const auto& o = item.get_object();
    patch_operation out;
    out.index = index;
    const auto* op = find_member(o, "op");
    if (op == nullptr || !op->is_string()) {
        return fail(errc::invalid_syntax,
                    where(index) + " needs \"op\": \"add\", \"remove\" or \"replace\"");
    }
    const auto kind = parse_op_name(op->get_string());
    if (!kind) {
        return fail(errc::invalid_syntax, where(index) + ": unknown op \"" +
                                              std::string(op->get_string()) +
                                              "\" (expected add, remove or replace)");
    }
    out.op = *kind;
    if (const auto* path = find_member(o, "path"); path != nullptr && !path->is_null()) {
        if (!path->is_string()) {
            return fail(errc::invalid_path, where(index) + ": \"path\" must be a string");
        }
        out.path_text = std::string(path->get_string());
    }
    // An empty "path" is treated as none: the target is the resource itself.
    if (!out.path_text.empty()) {
        auto parsed = parse_path(out.path_text);
        if (!parsed) {
            const auto e = parsed.error();
            return fail(errc::invalid_path,
                        where(index) + ": path \"" + out.path_text + "\": " + e.message);
        }
        out.path = std::move(*parsed);
    }
    if (const auto* value = find_member(o, "value")) {
        out.value = *value;
    }
    if (out.op == patch_operation::op_kind::remove && !out.path) {
        // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status
        // code 400 and a "scimType" error code of "noTarget"."
        return fail(errc::no_target, where(index) + ": remove needs a \"path\"");
    }
    if (out.op != patch_operation::op_kind::remove && !out.value) {
        // RFC 7644 §3.5.2.1/§3.5.2.3: the operation MUST contain a "value" member; §3.12
        // invalidValue covers "a required value was missing".
        return fail(errc::invalid_value,
                    where(index) + ": " + std::string(to_string(out.op)) + " needs a \"value\"");
    }
    return out;
}

}  // namespace

std::string_view to_string(patch_operation::op_kind op) {
    switch (op) {
        case patch_operation::op_kind::add:
            return "add";
        case patch_operation::op_kind::remove:
            return "remove";
        case patch_operation::op_kind::replace:
            return "replace";
    }
    return "?";
}

scim::result<std::vector<patch_operation>> parse_patch_request(const json::value& body) {
    if (!body.is_object()) {
        return fail(errc::invalid_syntax, "a PATCH body must be a JSON object");
    }
    const auto& o = body.get_object();
    if (auto checked = check_schemas(o); !checked) {
        return checked.error();
    }
    const auto* operations = find_member(o, "Operations");
    if (operations == nullptr || !operations->is_array() || operations->get_array().empty()) {
        return fail(errc::invalid_syntax, "a PATCH body needs a non-empty \"Operations\" array");
    }
    std::vector<patch_operation> out;
    const auto& list = operations->get_array();
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto op = parse_operation(list[i], i);
        if (!op) {
            return op.error();
        }
        out.push_back(std::move(*op));
    }
    return out;
}

}  // namespace scimldap::mapping
