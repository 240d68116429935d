#include "bridge/scim/page_entries.hpp"

#include "base/escape.hpp"
#include "bridge/scim/member_reads.hpp"
#include "mapping/filter_match.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_reader.hpp"

#include <algorithm>

namespace scimldap::scim {
namespace asio = boost::asio;

/// Whether the entry's SCIM view matches the filter (only the attributes the filter names were
/// read; references are not resolved: they cannot be filtered on).
bool passes(const mapping::resource_profile& resource, const selection& sel, const ldap::entry& e) {
    if (sel.recheck == nullptr) {
        return true;
    }
    static const auto everything = mapping::projection::everything();
    static const mapping::resolved_reference unknown{"", "", ""};
    const mapping::reference_resolver resolver =
        [&](const ldap::dn& name) -> const mapping::resolved_reference* {
        const auto it = sel.referenced.find(ldap::normalize_dn(name));
        return it == sel.referenced.end() ? &unknown : &it->second;
    };
    const mapping::read_context rc{everything, "", resolver};
    return mapping::resource_matches(resource, *sel.recheck, mapping::to_resource(resource, e, rc));
}

/// The page's entries by id, in the order of `ids`; an id whose entry is gone is skipped.
asio::awaitable<result<std::vector<found_entry>>> read_entries(
    directory& dir, const page_reading& how, const std::vector<std::string>& ids) {
    const auto& resource = how.resource;
    std::vector<found_entry> out;
    if (!how.sel.plan.members_apart.empty()) {
        // Groups with their members: one at a time, each counted before it is resolved.
        for (const auto& id : ids) {
            auto attributes = how.sel.plan.page_attributes;
            auto f =
                co_await find_with_members(dir, how.limits, resource, id, std::move(attributes),
                                           how.references, resource.name);
            if (!f) {
                co_return f.error();
            }
            if (*f) {
                out.push_back(std::move(**f));
            }
        }
        co_return out;
    }
    auto found = co_await dir.find_by_ids(resource, ids, how.sel.plan.page_attributes,
                                          how.references, resource.name);
    if (!found) {
        co_return found.error();
    }
    for (const auto& id : ids) {
        auto it = std::find_if(found->begin(), found->end(), [&](const found_entry& f) {
            return mapping::id_of(resource, f.entry) == id;
        });
        if (it != found->end()) {  // else deleted between the walk and the read
            out.push_back(std::move(*it));
        }
    }
    co_return out;
}

}  // namespace scimldap::scim
