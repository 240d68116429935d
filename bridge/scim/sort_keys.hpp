// The id and sort key of each entry a query matched, packed into one buffer and put in page
// order: a walk keeps these (a few dozen bytes per entry), never the entries themselves.
#pragma once

#include "bridge/scim/id_list.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// Ids with their sort keys, in the order they were added until sort() is called.
class sort_keys {
public:
    void add(std::string_view id, std::string_view sort_key);
    /// By sort key (ASCII case-insensitively unless case_exact), ties by id, so pages of one
    /// query are stable across requests.
    void sort(bool case_exact, bool descending);

    std::size_t size() const { return rows_.size(); }
    std::string_view id(std::size_t i) const { return view(rows_[i].id_at, rows_[i].id_len); }
    /// Where row i was when added (before sort()).
    std::uint32_t added_as(std::size_t i) const { return rows_[i].added; }
    /// The ids in the current order.
    id_list ids() const;

private:
    struct row {
        std::uint32_t id_at;
        std::uint32_t id_len;
        std::uint32_t sort_at;
        std::uint32_t sort_len;
        std::uint32_t added;
    };
    std::string_view view(std::uint32_t at, std::uint32_t len) const {
        return std::string_view(text_).substr(at, len);
    }
    std::string text_;
    std::vector<row> rows_;
};

}  // namespace scimldap::scim
