#include "mapping/json_keys.hpp"

#include "base/ascii_case.hpp"

namespace scimldap::mapping {

namespace json = boost::json;

const json::value* find_member(const json::object& o, std::string_view key) {
    for (const auto& [k, v] : o) {
        if (ascii::iequals(k, key)) {
            return &v;
        }
    }
    return nullptr;
}

json::value* find_member(json::object& o, std::string_view key) {
    return const_cast<json::value*>(find_member(std::as_const(o), key));
}

void erase_members(json::object& o, std::string_view key) {
    for (auto it = o.begin(); it != o.end();) {
        it = ascii::iequals(it->key(), key) ? o.erase(it) : std::next(it);
    }
}

}  // namespace scimldap::mapping
