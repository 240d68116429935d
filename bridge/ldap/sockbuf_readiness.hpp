// A liblber Sockbuf_IO layer that tells libldap when the socket has data, so it never polls.
#pragma once

#include <lber.h>

namespace scimldap::ldap::detail {

/// Sits at the bottom of a handle's Sockbuf (under liblber's read-ahead) and answers
/// LBER_SB_OPT_DATA_READY from what the event loop saw: readable after an epoll wake-up, not
/// readable once a read came back short or with EAGAIN (the kernel's buffer was empty then, so
/// anything that arrives later raises a new edge). libldap then reads without its own poll(),
/// and the owner stops draining without asking once more. Must outlive the Sockbuf (the handle).
class read_readiness {
public:
    read_readiness() = default;
    read_readiness(const read_readiness&) = delete;
    read_readiness& operator=(const read_readiness&) = delete;

    /// Pushes the layer at the provider level of sb; call before adding read-ahead.
    bool attach(Sockbuf* sb);
    /// The event loop saw the socket readable.
    void mark_readable() { readable_ = true; }

    static int setup(Sockbuf_IO_Desc* sbiod, void* arg);
    static int remove(Sockbuf_IO_Desc* sbiod);
    static int ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg);
    static ber_slen_t read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static ber_slen_t write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static int close(Sockbuf_IO_Desc* sbiod);

private:
    bool readable_ = false;
};

}  // namespace scimldap::ldap::detail
