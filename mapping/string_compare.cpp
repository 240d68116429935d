#include "mapping/string_compare.hpp"

#include "base/ascii_case.hpp"

#include <algorithm>

namespace scimldap::mapping {

bool comparison_holds(compare_op op, int c) {
    switch (op) {
        case compare_op::eq:
            return c == 0;
        case compare_op::ne:
            return c != 0;
        case compare_op::gt:
            return c > 0;
        case compare_op::ge:
            return c >= 0;
        case compare_op::lt:
            return c < 0;
        case compare_op::le:
            return c <= 0;
        default:
            return false;
    }
}

bool string_comparison_holds(compare_op op, std::string_view have, std::string_view want,
                             bool case_exact) {
    // Ignoring case folds to lower case, as ascii::icompare does: that decides where [\]^_` sort
    // against letters.
    const auto same = [case_exact](char a, char b) {
        return a == b || (!case_exact && ascii::to_lower(a) == ascii::to_lower(b));
    };
    const auto same_text = [&](std::string_view a, std::string_view b) {
        return std::ranges::equal(a, b, same);
    };
    const bool fits = want.size() <= have.size();
    switch (op) {
        case compare_op::co:
            // Every value contains "", an empty one too (std::search would find nothing there).
            return want.empty() || std::search(have.begin(), have.end(), want.begin(), want.end(),
                                               same) != have.end();
        case compare_op::sw:
            return fits && same_text(have.substr(0, want.size()), want);
        case compare_op::ew:
            return fits && same_text(have.substr(have.size() - want.size()), want);
        default:
            return comparison_holds(op,
                                    case_exact ? have.compare(want) : ascii::icompare(have, want));
    }
}

}  // namespace scimldap::mapping
