// A query's ids in page order, packed into one buffer: a walk of 100,000 users keeps ~40 bytes
// per id instead of a std::string (32 bytes) plus its heap block each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// Ordered ids, appended once and then only read (shared between requests).
class id_list {
public:
    void reserve(std::size_t ids, std::size_t bytes) {
        ends_.reserve(ids);
        text_.reserve(bytes);
    }
    void push_back(std::string_view id) {
        text_ += id;
        ends_.push_back(static_cast<std::uint32_t>(text_.size()));
    }
    std::size_t size() const { return ends_.size(); }
    bool empty() const { return ends_.empty(); }
    std::string_view operator[](std::size_t i) const {
        const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
        return std::string_view(text_).substr(begin, ends_[i] - begin);
    }
    /// Heap bytes held (for the cache's memory bound).
    std::size_t bytes() const {
        return text_.capacity() + ends_.capacity() * sizeof(std::uint32_t);
    }
    void shrink_to_fit() {
        text_.shrink_to_fit();
        ends_.shrink_to_fit();
    }

private:
    std::string text_;
    std::vector<std::uint32_t> ends_;
};

}  // namespace scimldap::scim
