#include "bridge/scim/conditional_write.hpp"

#include "base/filter_builder.hpp"
#include "base/metrics.hpp"
#include "bridge/ldap/controls.hpp"
#include "bridge/scim/json_response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/value.hpp>

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
