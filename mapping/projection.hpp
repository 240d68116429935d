// Which attributes a response carries (RFC 7644 §3.4.2.5 attributes / excludedAttributes), and
// therefore which LDAP attributes a read requests.
#pragma once

#include "mapping/filter_ast.hpp"
#include "mapping/profile.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace scimldap::mapping {

/// The attributes/excludedAttributes of one request, resolved against a resource profile.
class projection {
public:
    /// Everything returned by default.
    projection() = default;
    /// Everything but writeOnly attributes, also those returned only on request: the full
    /// SCIM view a PATCH applies to.
    static projection everything();
    /// Comma-separated attribute paths as in the query string; unknown names are ignored
    /// (a client may ask for attributes this profile does not map). Whole-schema URNs allowed.
    static projection parse(const resource_profile& resource, std::string_view attributes,
                            std::string_view excluded_attributes);

    /// Whether a mapping's value goes into the response.
    bool includes(const attribute_mapping& m) const;
    /// Whether a top-level attribute with these characteristics goes in (for id/meta/schemas).
    bool includes(std::string_view schema, std::string_view name, std::string_view sub,
                  returned how) const;
    /// The LDAP attributes a read must request for this projection (always with the id,
    /// entryCSN for the ETag, and the objectClass).
    std::vector<std::string> ldap_attributes(const resource_profile& resource) const;

private:
    struct entry {
        std::string schema;  // empty: any schema
        std::string name;    // empty: the whole schema
        std::string sub;     // empty: the whole attribute
    };
    static bool matches(const entry& e, std::string_view schema, std::string_view name,
                        std::string_view sub);
    bool everything_ = false;
    std::vector<entry> include_;
    std::vector<entry> exclude_;
};

}  // namespace scimldap::mapping
