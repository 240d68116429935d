#include "bridge/scim/creates_in_flight.hpp"

#include "base/escape.hpp"

namespace scimldap::scim {

creates_in_flight::registration::registration(creates_in_flight& owner, std::string key)
    : owner_(owner), key_(std::move(key)) {
    const std::lock_guard lock(owner_.mutex_);
    owner_.running_.insert(key_);
}

bool creates_in_flight::registration::others_running() const {
    const std::lock_guard lock(owner_.mutex_);
    return owner_.running_.count(key_) > 1;
}

creates_in_flight::registration::~registration() {
    const std::lock_guard lock(owner_.mutex_);
    if (const auto it = owner_.running_.find(key_); it != owner_.running_.end()) {
        owner_.running_.erase(it);
    }
}

creates_in_flight::registration creates_in_flight::enter(const ldap::dn& name) {
    return registration(*this, ldap::normalize_dn(name));
}

}  // namespace scimldap::scim
