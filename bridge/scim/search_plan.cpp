#include "bridge/scim/search_plan.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>

namespace scimldap::scim {
namespace {

// Attribute names compare case-insensitively.
void add_unique(std::vector<std::string>& to, const std::vector<std::string>& more) {
    for (const auto& a : more) {
        if (std::none_of(to.begin(), to.end(),
                         [&](const std::string& x) { return ascii::iequals(x, a); })) {
            to.push_back(a);
        }
    }
}

}  // namespace

result<search_plan> plan_search(const mapping::resource_profile& resource, const list_query& query,
                                const mapping::projection& fields,
                                const mapping::reference_dns* references) {
    search_plan plan;
    plan.filter = resource.search_filter;
    std::vector<std::string> recheck_attributes;
    if (query.filter) {
        auto translated = mapping::translate_query_filter(resource, *query.filter, references);
        if (!translated) {
            return translated.error();
        }
        plan.filter = std::move(translated->filter);
        plan.recheck = translated->recheck;
        if (plan.recheck) {
            recheck_attributes = std::move(translated->attributes);
        }
    }
    plan.sort_attribute = query.sort_by ? query.sort_by->ldap : resource.rdn_attribute;
    plan.page_attributes = fields.ldap_attributes(resource);
    add_unique(plan.page_attributes, {plan.sort_attribute});
    plan.first_attributes =
        query.count == 0 ? std::vector<std::string>{resource.id_attribute} : plan.page_attributes;
    if (resource.members && query.count > 0) {
        const auto& member = resource.members->ldap;
        const auto is_member = [&](const std::string& a) { return ascii::iequals(a, member); };
        if (std::any_of(plan.page_attributes.begin(), plan.page_attributes.end(), is_member)) {
            plan.members_apart = member;
            std::erase_if(plan.first_attributes, is_member);
        }
    }
    add_unique(plan.first_attributes, recheck_attributes);
    plan.key_attributes = {resource.id_attribute, plan.sort_attribute};
    add_unique(plan.key_attributes, recheck_attributes);
    return plan;
}

}  // namespace scimldap::scim
