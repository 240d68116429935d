#include "bridge/scim/conditional_write.hpp"

#include "base/filter_builder.hpp"
#include "base/metrics.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/json_response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace scimldap::scim {

std::string_view etag_value(std::string_view tag) {
    if (tag.starts_with("W/") || tag.starts_with("w/")) {
        tag.remove_prefix(2);
    }
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
        tag = tag.substr(1, tag.size() - 2);
    }
    return tag;
}

bool etag_condition::matches(const std::optional<std::string>& version) const {
    if (!version) {
        return false;
    }
    return any || std::find(versions.begin(), versions.end(), *version) != versions.end();
}

std::optional<etag_condition> etag_condition_of(const http_request& req,
                                                boost::beast::http::field field) {
    const auto it = req.find(field);
    if (it == req.end()) {
        return std::nullopt;
    }
    etag_condition c;
    std::string_view rest = it->value();
    while (!rest.empty()) {
        // A tag's quotes may hold a comma, so a tag ends at the comma after its closing quote.
        const std::size_t open = rest.find('"');
        const std::size_t close = open == std::string_view::npos ? open : rest.find('"', open + 1);
        const std::size_t comma = rest.find(',', close == std::string_view::npos ? 0 : close + 1);
        std::string_view tag = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) {
            tag.remove_prefix(1);
        }
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) {
            tag.remove_suffix(1);
        }
        if (tag == "*") {
            c.any = true;
        } else if (!tag.empty()) {
            c.versions.emplace_back(etag_value(tag));
        }
    }
    if (!c.any && c.versions.empty()) {
        return std::nullopt;
    }
    return c;
}

ldap::control assert_version(const std::string& csn) {
    return *ldap::controls::assertion(ldap::filters::equal("entryCSN", csn));
}

ldap::control assert_version_of(const std::string& csn, const std::string& id_attribute,
                                const std::string& id) {
    using namespace ldap::filters;
    return *ldap::controls::assertion(
        any_of({equal("entryCSN", csn), negation(equal(id_attribute, id))}));
}

bool changed_since_read(const error& e) {
    return e.is(ldap::rc::assertion_failed) || e.is(ldap::rc::no_such_object);
}

void count_write_retry(std::string_view reason) {
    static auto& retries = metrics::registry::global().counters(
        "scimldap_write_retries_total",
        "Write attempts that lost a race with another change and were tried again", {"reason"});
    retries.with({reason}).inc();
}

error lost_race(error e, bool if_match_given, bool& retry) {
    retry = !if_match_given && changed_since_read(e);
    if (retry) {
        count_write_retry(e.is(ldap::rc::assertion_failed) ? "assertion_failed" : "entry_moved");
    }
    if (if_match_given && e.is(ldap::rc::no_such_object)) {
        return {errc::precondition_failed, "the resource was modified since the version given"};
    }
    return e;
}

http_response resource_response(unsigned status, resource_reply reply) {
    http_response res = json_response(status, std::move(reply.json));
    if (reply.etag) {
        res.set(boost::beast::http::field::etag, *reply.etag);
    }
    if (status == 201 && !reply.location.empty()) {
        res.set(boost::beast::http::field::location, reply.location);
    }
    return res;
}

}  // namespace scimldap::scim
