// Socket reads by Asio, message parsing by libldap: the buffer between them.
#include "bridge/ldap/sockbuf_feed.hpp"

#include "bridge/ldap/sockbuf_layer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace scimldap::ldap::detail {
namespace {

Sockbuf_IO feed_io = sockbuf_io_of<read_feed>();

read_feed* self(Sockbuf_IO_Desc* sbiod) {
    return layer_of<read_feed>(sbiod);
}

}  // namespace

bool read_feed::attach(Sockbuf* sb) {
    return ber_sockbuf_add_io(sb, &feed_io, LBER_SBIOD_LEVEL_PROVIDER, this) == 0;
}

std::span<char> read_feed::room() {
    if (begin_ == end_) {
        begin_ = end_ = 0;
    }
    if (buffer_.size() - end_ < min_room && begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (buffer_.size() - end_ < min_room) {
        buffer_.resize(std::max(buffer_.size() * 2, end_ + min_room));
    }
    return {buffer_.data() + end_, buffer_.size() - end_};
}

int read_feed::setup(Sockbuf_IO_Desc* sbiod, void* arg) {
    sbiod->sbiod_pvt = arg;
    return 0;
}

int read_feed::remove(Sockbuf_IO_Desc*) {
    return 0;
}

int read_feed::ctrl(Sockbuf_IO_Desc* sbiod, int opt, void* arg) {
    if (opt == LBER_SB_OPT_DATA_READY) {
        return self(sbiod)->empty() ? 0 : 1;  // the socket itself is Asio's business
    }
    return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

ber_slen_t read_feed::read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    auto* feed = self(sbiod);
    if (feed->empty()) {
        errno = EWOULDBLOCK;
        return -1;
    }
    const std::size_t n = std::min<std::size_t>(len, feed->end_ - feed->begin_);
    std::memcpy(buf, feed->buffer_.data() + feed->begin_, n);
    feed->begin_ += n;
    return static_cast<ber_slen_t>(n);
}

ber_slen_t read_feed::write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    return LBER_SBIOD_WRITE_NEXT(sbiod, buf, len);
}

int read_feed::close(Sockbuf_IO_Desc*) {
    return 0;
}

}  // namespace scimldap::ldap::detail
