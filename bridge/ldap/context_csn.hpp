// What a replicated directory server holds, as its contextCSN values (RFC 4533 change sequence
// numbers, one per server ID and naming context).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace scimldap::ldap {

/// The newest change a server holds from each origin: (naming context, server ID) → CSN.
/// OpenLDAP's CSNs (`20261207135218.242554Z#000000#001#000000`: time, count, server ID,
/// modifier) have fixed-width fields, so the later of two CSNs of one origin is the larger text.
class csn_set {
public:
    /// Adds the contextCSN values of `context`; a value that is not a CSN is ignored.
    void add(std::string_view context, const std::vector<std::string>& values);

    /// True when this server holds every change `other` holds: for each origin of `other`, this
    /// set's CSN is the same or later.
    bool covers(const csn_set& other) const;

    bool empty() const { return newest_.empty(); }

private:
    std::map<std::string, std::string, std::less<>> newest_;  // "context#sid" → CSN
};

/// The naming contexts (root DSE) that hold one of `bases`: those whose contextCSN says what a
/// server holds of the bridge's entries (an accesslog database is each server's own). All of
/// them when `bases` is empty.
std::vector<std::string> contexts_holding(const std::vector<std::string>& contexts,
                                          const std::vector<std::string>& bases);

}  // namespace scimldap::ldap
