// What each of our liblber Sockbuf_IO layers shares: its callback table and the cast back.
#pragma once

#include <lber.h>

namespace scimldap::ldap::detail {

/// The callback table of a layer class with static setup/remove/ctrl/read/write/close. liblber
/// keeps a pointer to it: store it with static storage duration.
template <class Layer>
Sockbuf_IO sockbuf_io_of() {
    return {&Layer::setup, &Layer::remove, &Layer::ctrl,
            &Layer::read,  &Layer::write,  &Layer::close};
}

/// The layer object a callback is about (what setup stored in sbiod_pvt).
template <class Layer>
Layer* layer_of(Sockbuf_IO_Desc* sbiod) {
    return static_cast<Layer*>(sbiod->sbiod_pvt);
}

}  // namespace scimldap::ldap::detail
