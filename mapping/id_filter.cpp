#include "mapping/id_filter.hpp"

#include "base/ascii_case.hpp"
#include "base/filter_builder.hpp"
#include "mapping/ldap_syntax.hpp"

#include <vector>

namespace scimldap::mapping {

bool may_name_entry(const resource_profile& resource, std::string_view id) {
    return !ascii::iequals(resource.id_attribute, "entryUUID") || is_uuid(id);
}

ldap::filter id_filter(const resource_profile& resource, std::string_view id,
                       const std::optional<ldap::filter>& also) {
    std::vector<ldap::filter> parts{resource.search_filter,
                                    ldap::filters::equal(resource.id_attribute, id)};
    if (also) {
        parts.push_back(*also);
    }
    return ldap::filters::all_of(parts);
}

ldap::filter ids_filter(const resource_profile& resource, std::span<const std::string> ids) {
    return ids_filter(resource, resource.id_attribute, ids);
}

ldap::filter ids_filter(const resource_profile& resource, std::string_view attribute,
                        std::span<const std::string> ids) {
    std::vector<ldap::filter> any;
    any.reserve(ids.size());
    for (const auto& id : ids) {
        any.push_back(ldap::filters::equal(attribute, id));
    }
    return ldap::filters::all_of({resource.search_filter, ldap::filters::any_of(any)});
}

}  // namespace scimldap::mapping
