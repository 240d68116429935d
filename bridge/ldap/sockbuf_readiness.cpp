// Read readiness under libldap: the event loop's knowledge replaces libldap's poll().
#include "bridge/ldap/sockbuf_readiness.hpp"

#include <cerrno>

namespace scimldap::ldap::detail {
namespace {

Sockbuf_IO readiness_io = {
    &read_readiness::setup, &read_readiness::remove, &read_readiness::ctrl,
    &read_readiness::read,  &read_readiness::write,  &read_readiness::close,
};

read_readiness* self(Sockbuf_IO_Desc* sbiod) {
    return static_cast<read_readiness*>(sbiod->sbiod_pvt);
}

}  // namespace

bool read_readiness::attach(Sockbuf* sb) {
    return ber_sockbuf_add_io(sb, &readiness_io, LBER_SBIOD_LEVEL_PROVIDER, this) == 0;
}

int read_readiness::setup(Sockbuf_IO_Desc* sbiod, void* arg) {
    sbiod->sbiod_pvt = arg;
    return 0;
}

int read_readiness::remove(Sockbuf_IO_Desc*) {
    return 0;
}

int read_readiness::ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg) {
    if (opt == LBER_SB_OPT_DATA_READY && self(sbiod)->readable_) {
        return 1;
    }
    return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

ber_slen_t read_readiness::read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    const ber_slen_t n = LBER_SBIOD_READ_NEXT(sbiod, buf, len);
    // A short read (or EOF) emptied the kernel's buffer; EAGAIN found it empty. Other errors
    // keep the flag: libldap sees them on its next read and reports the connection lost.
    const bool drained =
        n >= 0 ? static_cast<ber_len_t>(n) < len : (errno == EAGAIN || errno == EWOULDBLOCK);
    if (drained) {
        self(sbiod)->readable_ = false;
    }
    return n;
}

ber_slen_t read_readiness::write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    return LBER_SBIOD_WRITE_NEXT(sbiod, buf, len);
}

int read_readiness::close(Sockbuf_IO_Desc*) {
    return 0;
}

}  // namespace scimldap::ldap::detail
