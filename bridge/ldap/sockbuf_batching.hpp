// A liblber Sockbuf_IO layer that collects the request PDUs of one event-loop turn for one write().
#pragma once

#include <lber.h>

#include <cstddef>
#include <string>

namespace scimldap::ldap::detail {

class tls_engine;

/// Sits on top of a handle's Sockbuf: libldap's writes land in a buffer (so libldap never sees
/// EAGAIN and never parks a half-sent request); the owner flushes the buffer once per turn and,
/// when the socket is full, waits for writability and flushes again. Reads pass through.
/// Must outlive the Sockbuf it is attached to (the handle).
class write_batch {
public:
    write_batch() = default;
    write_batch(const write_batch&) = delete;
    write_batch& operator=(const write_batch&) = delete;

    /// Pushes the layer on top of the provider level of sb. False when liblber refused it.
    bool attach(Sockbuf* sb);
    bool empty() const { return pending() == 0; }
    std::size_t pending() const { return buffer_.size() - offset_; }

    enum class flush_status { done, would_block, failed };
    /// Writes as much of the buffer as the socket takes now (never blocks). failed leaves errno.
    flush_status flush();
    /// Encrypts what libldap wrote since the last call into TLS records, in place, so flush()
    /// sends ciphertext. False when the session failed.
    bool seal(tls_engine& tls);
    /// With TLS on the socket, bytes must never reach it in clear: close() then drops what is
    /// still queued instead of sending it.
    void set_direct(bool direct) { direct_ = direct; }

    // The Sockbuf_IO callbacks (liblber's C interface).
    static int setup(Sockbuf_IO_Desc* sbiod, void* arg);
    static int remove(Sockbuf_IO_Desc* sbiod);
    static int ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg);
    static ber_slen_t read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static ber_slen_t write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len);
    static int close(Sockbuf_IO_Desc* sbiod);

private:
    Sockbuf_IO_Desc* sbiod_ = nullptr;
    std::string buffer_;
    std::size_t offset_ = 0;  // sent up to here
    std::size_t sealed_ = 0;  // with TLS: ciphertext up to here, libldap's plaintext after it
    bool direct_ = true;
};

}  // namespace scimldap::ldap::detail
