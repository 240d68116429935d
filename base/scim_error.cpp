#include "base/scim_error.hpp"

#include <stdexcept>

namespace scimldap::scim {

wire_error to_wire(errc code) noexcept {
    // RFC 7644 §3.12, Table 9 for the scimTypes.
    switch (code) {
        case errc::invalid_filter:
            return {400, "invalidFilter"};
        case errc::too_many:
            return {400, "tooMany"};
        case errc::uniqueness:
            return {409, "uniqueness"};
        case errc::mutability:
            return {400, "mutability"};
        case errc::invalid_syntax:
            return {400, "invalidSyntax"};
        case errc::invalid_path:
            return {400, "invalidPath"};
        case errc::no_target:
            return {400, "noTarget"};
        case errc::invalid_value:
            return {400, "invalidValue"};
        case errc::invalid_version:
            return {400, "invalidVers"};
        case errc::sensitive:
            return {400, "sensitive"};
        // RFC 9865 §2.1, Table 3: a cursor that does not verify, or one past its lifetime.
        case errc::invalid_cursor:
            return {400, "invalidCursor"};
        case errc::expired_cursor:
            return {400, "expiredCursor"};
        case errc::bad_request:
            return {400, ""};
        case errc::unauthorized:
            return {401, ""};
        case errc::forbidden:
            return {403, ""};
        case errc::not_found:
            return {404, ""};
        case errc::method_not_allowed:
            return {405, ""};
        case errc::not_acceptable:
            return {406, ""};
        case errc::conflict:
            return {409, ""};
        case errc::request_timeout:
            return {408, ""};
        case errc::precondition_failed:
            return {412, ""};
        case errc::payload_too_large:
            return {413, ""};
        case errc::unsupported_media_type:
            return {415, ""};
        case errc::header_fields_too_large:
            return {431, ""};
        case errc::internal:
            return {500, ""};
        case errc::not_implemented:
            return {501, ""};
        case errc::unavailable:
            return {503, ""};
        case errc::too_many_requests:
            return {429, ""};
    }
    return {500, ""};
}

void throw_exception_from_error(const error& e, const boost::source_location&) {
    throw std::runtime_error(e.detail);
}

}  // namespace scimldap::scim
