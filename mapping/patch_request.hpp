// A SCIM PATCH request body (RFC 7644 §3.5.2 PatchOp message) parsed into operations.
#pragma once

#include "base/scim_error.hpp"
#include "mapping/filter_ast.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

inline constexpr std::string_view patch_op_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// One entry of "Operations": what to do, where (absent path = the resource itself) and the
/// value (absent when the request had no "value" member; JSON null is kept as null).
struct patch_operation {
    enum class op_kind { add, remove, replace };
    op_kind op = op_kind::add;
    std::optional<patch_path> path;
    std::string path_text;  // the "path" as sent, for error details and extension URNs
    std::optional<boost::json::value> value;
    std::size_t index = 0;  // position in "Operations", for error details
};

std::string_view to_string(patch_operation::op_kind op);

/// Checks the message (schemas names PatchOp; "Operations" is a non-empty array, key matched
/// case-insensitively; op names case-insensitive, as Entra sends "Replace") and parses each
/// path. Errors: invalidSyntax (structure, unknown op), invalidPath (path syntax, with the
/// position), noTarget (remove without path), invalidValue (add/replace without value).
scim::result<std::vector<patch_operation>> parse_patch_request(const boost::json::value& body);

}  // namespace scimldap::mapping
