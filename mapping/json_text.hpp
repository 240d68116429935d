// Writing JSON text directly (string literals), for output built without a JSON DOM.
#pragma once

#include <string>
#include <string_view>

namespace scimldap::mapping {

/// Appends `value` as a JSON string literal: quotes, with ", \ and control characters escaped
/// (RFC 8259 §7). Other bytes pass through, as Boost.JSON's serializer does.
void append_json_string(std::string& out, std::string_view value);

}  // namespace scimldap::mapping
