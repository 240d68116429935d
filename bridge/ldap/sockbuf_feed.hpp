// A liblber Sockbuf_IO layer that serves libldap the bytes Asio read from the socket.
#pragma once

#include <lber.h>

#include <cstddef>
#include <span>
#include <vector>

namespace scimldap::ldap::detail {

/// Sits at the bottom of a handle's Sockbuf, above the TCP layer, and replaces its reads: the
/// connection reads the socket with Asio (a speculative read, no epoll_ctl per wait) into this
/// buffer, and libldap's reads take from it; an empty buffer reads as EAGAIN, and
/// LBER_SB_OPT_DATA_READY is "the buffer holds bytes", so libldap never polls. Writes pass
/// through. Must outlive the Sockbuf it is attached to (the handle).
class read_feed {
public:
    read_feed() = default;
    read_feed(const read_feed&) = delete;
    read_feed& operator=(const read_feed&) = delete;

    /// Pushes the layer at the provider level of sb (on top of the TCP layer).
    bool attach(Sockbuf* sb);
    /// Where the next socket read goes: at least `min_room` bytes (the buffer grows, or moves
    /// what libldap has not taken yet to its front).
    std::span<char> room();
    /// `n` bytes were read into room().
    void commit(std::size_t n) { end_ += n; }
    bool empty() const { return begin_ == end_; }

    static int setup(Sockbuf_IO_Desc* sbiod, void* arg);
    static int remove(Sockbuf_IO_Desc* sbiod);
    static int ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg);
    static ber_slen_t read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static ber_slen_t write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static int close(Sockbuf_IO_Desc* sbiod);

private:
    static constexpr std::size_t min_room = 16 * 1024;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // next byte libldap gets
    std::size_t end_ = 0;    // end of what the socket gave
};

}  // namespace scimldap::ldap::detail
