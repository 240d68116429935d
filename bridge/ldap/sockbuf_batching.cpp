// Write batching under libldap: requests queued in one strand turn leave in one write(), which
// also wakes slapd once instead of once per request.
#include "bridge/ldap/sockbuf_batching.hpp"

#include "bridge/ldap/sockbuf_layer.hpp"
#include "bridge/ldap/tls_engine.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace scimldap::ldap::detail {
namespace {

Sockbuf_IO batching_io = sockbuf_io_of<write_batch>();

write_batch* self(Sockbuf_IO_Desc* sbiod) {
    return layer_of<write_batch>(sbiod);
}

/// send() rather than the TCP layer's write(): MSG_NOSIGNAL turns a peer that went away into
/// EPIPE instead of a process-killing SIGPIPE; MSG_DONTWAIT never blocks whatever the fd's flags.
ber_slen_t send_now(Sockbuf_IO_Desc* sbiod, const char* data, std::size_t len) {
    ber_socket_t fd = -1;
    if (ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd) != 1 || fd < 0) {
        errno = EBADF;
        return -1;
    }
    return ::send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

bool write_batch::attach(Sockbuf* sb) {
    return ber_sockbuf_add_io(sb, &batching_io, LBER_SBIOD_LEVEL_PROVIDER, this) == 0;
}

write_batch::flush_status write_batch::flush() {
    while (pending() > 0) {
        if (sbiod_ == nullptr) {
            errno = EBADF;
            return flush_status::failed;
        }
        ber_slen_t n = send_now(sbiod_, buffer_.data() + offset_, pending());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return flush_status::would_block;
            }
            return flush_status::failed;
        }
        offset_ += static_cast<std::size_t>(n);  // a partial write keeps the rest for later
    }
    buffer_.clear();
    offset_ = 0;
    sealed_ = 0;
    return flush_status::done;
}

bool write_batch::seal(tls_engine& tls) {
    const std::string_view plain(buffer_.data() + sealed_, buffer_.size() - sealed_);
    if (!plain.empty() && !tls.write(plain)) {
        return false;
    }
    buffer_.resize(sealed_);
    tls.take_output(buffer_);  // also what reading produced (a TLS 1.3 key update's answer)
    sealed_ = buffer_.size();
    return true;
}

int write_batch::setup(Sockbuf_IO_Desc* sbiod, void* arg) {
    sbiod->sbiod_pvt = arg;
    self(sbiod)->sbiod_ = sbiod;
    return 0;
}

int write_batch::remove(Sockbuf_IO_Desc* sbiod) {
    self(sbiod)->sbiod_ = nullptr;
    return 0;
}

int write_batch::ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg) {
    // Readiness questions (LBER_SB_OPT_DATA_READY) are about the read side: the layers below
    // answer them.
    return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

ber_slen_t write_batch::read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    return LBER_SBIOD_READ_NEXT(sbiod, buf, len);
}

ber_slen_t write_batch::write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    auto* batch = self(sbiod);
    if (batch->offset_ > 0 && batch->offset_ == batch->buffer_.size()) {
        batch->buffer_.clear();
        batch->offset_ = 0;
        batch->sealed_ = 0;
    }
    batch->buffer_.append(static_cast<const char*>(buf), len);
    return static_cast<ber_slen_t>(len);
}

int write_batch::close(Sockbuf_IO_Desc* sbiod) {
    // Best effort for what is still queued (typically the unbind request): one non-blocking try.
    auto* batch = self(sbiod);
    if (batch->direct_ && batch->pending() > 0) {
        send_now(sbiod, batch->buffer_.data() + batch->offset_, batch->pending());
    }
    batch->buffer_.clear();
    batch->offset_ = 0;
    batch->sealed_ = 0;
    return 0;
}

}  // namespace scimldap::ldap::detail
