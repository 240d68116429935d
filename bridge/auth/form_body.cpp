#include "bridge/auth/form_body.hpp"

#include <set>
#include <stdexcept>

namespace scimldap::auth {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

void throw_exception_from_error(const form_error& e, const boost::source_location&) {
    throw std::invalid_argument(e.message);
}

std::optional<std::string> form_decode(std::string_view encoded) {
    std::string out;
    out.reserve(encoded.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= encoded.size()) {
                return std::nullopt;
            }
            const int high = hex_value(encoded[i + 1]);
            const int low = hex_value(encoded[i + 2]);
            if (high < 0 || low < 0) {
                return std::nullopt;
            }
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

boost::system::result<form_fields, form_error> parse_form_body(std::string_view body) {
    form_fields fields;
    std::set<std::string, std::less<>> seen;
    while (!body.empty()) {
        const std::size_t amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const std::size_t eq = pair.find('=');
        const auto name = form_decode(pair.substr(0, eq));
        const auto value =
            form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!name || !value) {
            return form_error{"a parameter has a broken %-escape"};
        }
        if (!seen.insert(*name).second) {
            return form_error{"the parameter \"" + *name + "\" is given more than once"};
        }
        if (!value->empty()) {
            fields.emplace(*name, *value);
        }
    }
    return fields;
}

}  // namespace scimldap::auth
