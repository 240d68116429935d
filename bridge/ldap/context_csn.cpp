#include "bridge/ldap/context_csn.hpp"

#include "base/escape.hpp"

#include <algorithm>
#include <cctype>

namespace scimldap::ldap {
namespace {

/// The server ID of a CSN (its third `#` field, three hex digits); empty when it is not one.
std::string_view server_id_of(std::string_view csn) {
    const auto first = csn.find('#');
    const auto second = first == std::string_view::npos ? first : csn.find('#', first + 1);
    const auto third = second == std::string_view::npos ? second : csn.find('#', second + 1);
    if (third == std::string_view::npos || first < 15 || csn[first - 1] != 'Z') {
        return {};
    }
    const auto sid = csn.substr(second + 1, third - second - 1);
    const bool hex = !sid.empty() && std::all_of(sid.begin(), sid.end(), [](unsigned char c) {
        return std::isxdigit(c) != 0;
    });
    return hex ? sid : std::string_view{};
}

}  // namespace

void csn_set::add(std::string_view context, const std::vector<std::string>& values) {
    for (const auto& csn : values) {
        const auto sid = server_id_of(csn);
        if (sid.empty()) {
            continue;
        }
        std::string key(context);
        key += '#';
        key += sid;
        auto& held = newest_[key];
        held = std::max(held, csn);
    }
}

bool csn_set::covers(const csn_set& other) const {
    return std::all_of(other.newest_.begin(), other.newest_.end(), [&](const auto& origin) {
        const auto mine = newest_.find(origin.first);
        return mine != newest_.end() && mine->second >= origin.second;
    });
}

std::vector<std::string> contexts_holding(const std::vector<std::string>& contexts,
                                          const std::vector<std::string>& bases) {
    if (bases.empty()) {
        return contexts;
    }
    std::vector<std::string> out;
    for (const auto& c : contexts) {
        if (std::any_of(bases.begin(), bases.end(),
                        [&](const std::string& b) { return is_within(dn(b), dn(c)); })) {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace scimldap::ldap
