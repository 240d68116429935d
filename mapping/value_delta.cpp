#include "mapping/value_delta.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>
#include <set>

namespace scimldap::mapping {
namespace {

bool has_id(const std::vector<std::string>& ids, const std::string& id) {
    return std::any_of(ids.begin(), ids.end(),
                       [&](const std::string& x) { return ascii::iequals(x, id); });
}

void erase_id(std::vector<std::string>& ids, const std::string& id) {
    std::erase_if(ids, [&](const std::string& x) { return ascii::iequals(x, id); });
}

}  // namespace

void value_delta::add(const std::vector<std::string>& ids) {
    touched_ = true;
    for (const auto& id : ids) {
        erase_id(removed_, id);
        if (!has_id(added_, id)) {
            added_.push_back(id);
        }
    }
}

void value_delta::remove(const std::vector<std::string>& ids) {
    touched_ = true;
    for (const auto& id : ids) {
        erase_id(added_, id);
        if (!replacement_ && !has_id(removed_, id)) {
            removed_.push_back(id);
        }
    }
}

void value_delta::replace(const std::vector<std::string>& ids) {
    touched_ = true;
    replacement_ = true;
    removed_.clear();
    added_.clear();
    std::set<std::string> seen;  // a full push may list 100,000 ids
    for (const auto& id : ids) {
        if (seen.insert(ascii::to_lower_copy(id)).second) {
            added_.push_back(id);
        }
    }
}

}  // namespace scimldap::mapping
