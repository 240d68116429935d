// The creates this process is running right now, by DN. A create that finds the bridge's own
// unfinished entry completes it only when no request here is still making it: otherwise two
// concurrent creates of one userName would both answer 201 instead of one 201 and one 409.
#pragma once

#include "base/ldap_types.hpp"

#include <mutex>
#include <set>
#include <string>

namespace scimldap::scim {

class creates_in_flight {
public:
    /// Holds one DN as in flight until destroyed.
    class registration {
    public:
        registration(creates_in_flight& owner, std::string key);
        ~registration();
        registration(const registration&) = delete;
        registration& operator=(const registration&) = delete;

        /// Whether another request of this process is creating the same DN right now.
        bool others_running() const;

    private:
        creates_in_flight& owner_;
        std::string key_;
    };

    /// Registers `name` (compared as normalised DNs) for the lifetime of the result.
    registration enter(const ldap::dn& name);

private:
    std::mutex mutex_;
    std::multiset<std::string> running_;
};

}  // namespace scimldap::scim
