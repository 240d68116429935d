#include "bridge/scim/sort_keys.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>

namespace scimldap::scim {

void sort_keys::add(std::string_view id, std::string_view sort_key) {
    const auto at = static_cast<std::uint32_t>(text_.size());
    text_ += id;
    text_ += sort_key;
    rows_.push_back(
        {at, static_cast<std::uint32_t>(id.size()), static_cast<std::uint32_t>(at + id.size()),
         static_cast<std::uint32_t>(sort_key.size()), static_cast<std::uint32_t>(rows_.size())});
}

void sort_keys::sort(bool case_exact, bool descending) {
    std::sort(rows_.begin(), rows_.end(), [&](const row& a, const row& b) {
        const auto sa = view(a.sort_at, a.sort_len);
        const auto sb = view(b.sort_at, b.sort_len);
        const int c = case_exact ? sa.compare(sb) : ascii::icompare(sa, sb);
        if (c != 0) {
            return descending ? c > 0 : c < 0;
        }
        return view(a.id_at, a.id_len) < view(b.id_at, b.id_len);
    });
}

id_list sort_keys::ids() const {
    id_list out;
    std::size_t bytes = 0;
    for (const auto& r : rows_) {
        bytes += r.id_len;
    }
    out.reserve(rows_.size(), bytes);
    for (const auto& r : rows_) {
        out.push_back(view(r.id_at, r.id_len));
    }
    return out;
}

}  // namespace scimldap::scim
