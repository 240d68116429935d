#include "base/filter_builder.hpp"

#include "base/escape.hpp"

namespace scimldap::ldap::filters {
namespace {

filter item(std::string_view attribute, std::string_view op, std::string_view value) {
    std::string text = "(";
    text += attribute;
    text += op;
    text += value;
    text += ')';
    return filter(std::move(text));
}

filter joined(char op, const std::vector<filter>& parts) {
    std::string text = "(";
    text += op;
    for (const auto& p : parts) {
        text += p.str();
    }
    text += ')';
    return filter(std::move(text));
}

}  // namespace

filter equal(std::string_view attribute, std::string_view value) {
    return item(attribute, "=", filter_escape_value(value));
}

filter present(std::string_view attribute) {
    return item(attribute, "=", "*");
}

filter contains(std::string_view attribute, std::string_view value) {
    return item(attribute, "=", "*" + filter_escape_value(value) + "*");
}

filter starts_with(std::string_view attribute, std::string_view value) {
    return item(attribute, "=", filter_escape_value(value) + "*");
}

filter ends_with(std::string_view attribute, std::string_view value) {
    return item(attribute, "=", "*" + filter_escape_value(value));
}

filter at_least(std::string_view attribute, std::string_view value) {
    return item(attribute, ">=", filter_escape_value(value));
}

filter at_most(std::string_view attribute, std::string_view value) {
    return item(attribute, "<=", filter_escape_value(value));
}

filter all_of(const std::vector<filter>& parts) {
    if (parts.empty()) {
        return everything();
    }
    return parts.size() == 1 ? parts.front() : joined('&', parts);
}

filter any_of(const std::vector<filter>& parts) {
    if (parts.empty()) {
        return nothing();
    }
    return parts.size() == 1 ? parts.front() : joined('|', parts);
}

filter negation(const filter& part) {
    return filter("(!" + part.str() + ")");
}

filter everything() {
    return present("objectClass");
}

filter nothing() {
    return negation(everything());
}

std::string values_return(const std::vector<filter>& items) {
    std::string text = "(";
    for (const auto& i : items) {
        text += i.str();
    }
    text += ')';
    return text;
}

}  // namespace scimldap::ldap::filters
