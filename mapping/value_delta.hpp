// What a request does to a multi-valued reference attribute's values (a group's members),
// composed from its operations in order without reading the values: a delta or a whole new list
// (docs/mapping.md, "Groups").
#pragma once

#include <string>
#include <vector>

namespace scimldap::mapping {

/// Ids compare case-insensitively (entryUUIDs), so "A" and "a" are one value.
class value_delta {
public:
    /// RFC 7644 §3.5.2.1: adding a present value changes nothing (checked when writing).
    void add(const std::vector<std::string>& ids);
    /// Removing an absent value changes nothing (IdPs retry removals).
    void remove(const std::vector<std::string>& ids);
    /// The values become exactly `ids` (an empty list clears the attribute).
    void replace(const std::vector<std::string>& ids);

    /// True when no operation touched the attribute.
    bool untouched() const { return !touched_; }
    /// True when the result is a whole list (replace, remove all) rather than a delta.
    bool is_replacement() const { return replacement_; }
    /// Delta: the ids to add. Replacement: the whole new list.
    const std::vector<std::string>& added() const { return added_; }
    /// Delta only: the ids to remove.
    const std::vector<std::string>& removed() const { return removed_; }

private:
    bool touched_ = false;
    bool replacement_ = false;
    std::vector<std::string> added_;
    std::vector<std::string> removed_;
};

}  // namespace scimldap::mapping
