// Versions and conditions shared by the resource endpoints: ETags (RFC 7644 §3.14) and the LDAP
// Assertion control on entryCSN (RFC 4528) that makes a read-modify-write atomic.
#pragma once

#include "base/ldap_types.hpp"
#include "base/scim_error.hpp"
#include "bridge/scim/http_message.hpp"

#include <boost/beast/http/field.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::scim {

/// How often a write without If-Match is applied again when the entry changed between its read
/// and its write. Each lost attempt means another writer of the same entry succeeded, so this
/// many concurrent writers of one resource all succeed; more may see 412 (RFC 7644 §3.12:
/// "resource has changed on the server").
constexpr int max_write_attempts = 8;

/// The version inside an entity tag: W/"x" and "x" both give x.
std::string_view etag_value(std::string_view tag);

/// An If-Match or If-None-Match value (RFC 9110 §13.1.1, §13.1.2): "*" or a list of entity
/// tags. Versions compare weakly (W/"x" matches "x"): SCIM's ETags are weak (RFC 7644 §3.14).
struct etag_condition {
    bool any = false;                   // "*"
    std::vector<std::string> versions;  // the tags' values, W/ and quotes removed
    /// Whether a resource whose version is `version` (nullopt: none exists) meets it.
    bool matches(const std::optional<std::string>& version) const;
};

/// The condition in the request's `field` (if_match or if_none_match); nullopt when absent or
/// empty.
std::optional<etag_condition> etag_condition_of(const http_request& req,
                                                boost::beast::http::field field);

/// The write succeeds only if the entry still has the entryCSN that was read.
ldap::control assert_version(const std::string& csn);

/// The same condition on the entry whose id is given, true on every other entry:
/// `(|(entryCSN=v)(!(id_attribute=id)))`. For writes whose controls slapd's overlays hand to
/// their own internal operations on other entries (unique's search on a rename, memberof's
/// memberOf updates on a change of `member`), where the plain assertion would fail.
ldap::control assert_version_of(const std::string& csn, const std::string& id_attribute,
                                const std::string& id);

/// After a write that failed with `e`: true when the entry changed since it was read — the
/// assertion failed, or noSuchObject, which after a successful read means a concurrent rename
/// took the DN read (or a delete).
bool changed_since_read(const error& e);

/// The answer to such a write: without If-Match `retry` is set (the request is applied again to
/// the entry as it is now); with If-Match the client's version is stale, 412 (RFC 7232 §3.1).
error lost_race(error e, bool if_match_given, bool& retry);

/// Counts a write attempt that lost a race and is tried again, in
/// scimldap_write_retries_total{reason}: assertion_failed, entry_moved (lost_race counts both),
/// member_values_changed, version_changed.
void count_write_retry(std::string_view reason);

/// A resource ready to be sent: its JSON text, its ETag, and where it lives.
struct resource_reply {
    std::string json;
    std::optional<std::string> etag;
    std::string location;  // the resource's URL (meta.location), sent as Location with a 201
};

/// A resource response: JSON body, ETag, and for 201 the Location.
http_response resource_response(unsigned status, resource_reply reply);

}  // namespace scimldap::scim
