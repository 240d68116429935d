// application/x-www-form-urlencoded (the OAuth token request's body, RFC 6749 Appendix B).
#pragma once

#include <boost/system/result.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scimldap::auth {

/// A form's parameters by name. RFC 6749 §3.2: a parameter sent without a value is treated as
/// omitted, so none here is empty.
using form_fields = std::map<std::string, std::string, std::less<>>;

/// Why a body is not a usable form: says which parameter and what is wrong.
struct form_error {
    std::string message;
};

[[noreturn]] void throw_exception_from_error(const form_error& e,
                                             const boost::source_location& loc);

/// One name or value decoded: "+" is a space, "%XX" a byte. nullopt for a broken escape.
std::optional<std::string> form_decode(std::string_view encoded);

/// The fields of a body ("a=1&b=x+y"). Refused: a broken escape, and a parameter given twice
/// (RFC 6749 §3.2: "MUST NOT be included more than once").
boost::system::result<form_fields, form_error> parse_form_body(std::string_view body);

}  // namespace scimldap::auth
