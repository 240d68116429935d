#include "mapping/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace scimldap::mapping {
namespace {

// Folding case and underscores makes "multiValued" an exact match for "multi_valued".
std::string fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        if (c != '_' && c != '-') {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

// Optimal string alignment distance: a swap of two neighbours ("prot" for "port") costs one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates) {
    const std::string folded = fold(word);
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (const auto candidate : candidates) {
        const std::size_t d = edit_distance(folded, fold(candidate));
        if (!best || d < best_distance) {
            best = std::string(candidate);
            best_distance = d;
        }
    }
    // A third of the word may be wrong, at least one character and at most three.
    const std::size_t allowed = std::clamp<std::size_t>(folded.size() / 3, 1, 3);
    if (best && best_distance <= allowed) {
        return best;
    }
    return std::nullopt;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const auto match = closest_match(word, candidates);
    return match ? " (did you mean \"" + *match + "\"?)" : std::string();
}

}  // namespace scimldap::mapping
