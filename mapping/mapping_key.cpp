#include "mapping/mapping_key.hpp"

#include "mapping/filter_parser.hpp"

namespace scimldap::mapping {

boost::system::result<scim_attribute_path, std::string> parse_mapping_key(
    std::string_view text, std::string_view core_schema) {
    const auto parsed = parse_path(text);
    if (!parsed) {
        return {boost::system::in_place_error,
                "\"" + std::string(text) +
                    "\" is not a SCIM attribute path: " + parsed.error().message};
    }
    scim_attribute_path out;
    out.schema =
        parsed->attribute.schema.empty() ? std::string(core_schema) : parsed->attribute.schema;
    out.name = parsed->attribute.name;
    if (!parsed->value_filter) {
        out.sub_attribute = parsed->attribute.sub_attribute;
        return out;
    }
    const filter_node& f = *parsed->value_filter;
    const auto* value = std::get_if<std::string>(&f.value);
    if (f.type != filter_node::kind::compare || f.op != compare_op::eq || value == nullptr ||
        !f.path.schema.empty() || !f.path.sub_attribute.empty()) {
        return {boost::system::in_place_error,
                "\"" + std::string(text) +
                    "\": a mapping key may only select an element with [attribute eq \"value\"], "
                    "e.g. emails[type eq \"work\"].value"};
    }
    out.selector = value_selector{f.path.name, *value};
    out.sub_attribute = parsed->sub_attribute;
    return out;
}

attr_path to_attr_path(const scim_attribute_path& p) {
    return attr_path{p.schema, p.name, p.sub_attribute};
}

}  // namespace scimldap::mapping
