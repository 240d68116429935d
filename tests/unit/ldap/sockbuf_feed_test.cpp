// read_feed: libldap reads what the event loop read from the socket, and never the socket.
#include "bridge/ldap/sockbuf_feed.hpp"

#include <gtest/gtest.h>
#include <lber.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace scimldap::ldap::detail {
namespace {

/// A Sockbuf layered as an LDAP connection's is: the TCP layer over one end of a socket pair,
/// read_feed on top of it.
class feed_stack : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
        sb_ = ber_sockbuf_alloc();
        ASSERT_EQ(ber_sockbuf_add_io(sb_, &ber_sockbuf_io_tcp, LBER_SBIOD_LEVEL_PROVIDER, &fds_[0]),
                  0);
        ASSERT_TRUE(feed_.attach(sb_));
    }
    void TearDown() override {
        ber_sockbuf_free(sb_);  // closes fds_[0] through the TCP layer
        ::close(fds_[1]);
    }

    /// One BER element shaped like an LDAP message (a SEQUENCE of an INTEGER and a string).
    static std::string element(int n) {
        BerElement* ber = ber_alloc_t(LBER_USE_DER);
        EXPECT_NE(ber_printf(ber, "{is}", n, "uid=someone,ou=People,dc=example,dc=org"), -1);
        berval* flat = nullptr;
        EXPECT_EQ(ber_flatten(ber, &flat), 0);
        std::string out(flat->bv_val, flat->bv_len);
        ber_bvfree(flat);
        ber_free(ber, 1);
        return out;
    }

    /// What the connection does with what Asio read.
    void feed(std::string_view bytes) {
        const auto room = feed_.room();
        ASSERT_GE(room.size(), bytes.size());
        std::memcpy(room.data(), bytes.data(), bytes.size());
        feed_.commit(bytes.size());
    }

    /// What libldap does on "data ready": read one element; its tag, or LBER_DEFAULT when no
    /// complete element was there (the partial one stays in `ber_`).
    ber_tag_t read_element() {
        ber_len_t len = 0;
        const ber_tag_t tag = ber_get_next(sb_, &len, ber_);
        if (tag != LBER_DEFAULT) {
            ber_free(ber_, 1);
            ber_ = ber_alloc_t(LBER_USE_DER);
        }
        return tag;
    }

    bool data_ready() { return ber_sockbuf_ctrl(sb_, LBER_SB_OPT_DATA_READY, nullptr) > 0; }

    int fds_[2] = {-1, -1};
    Sockbuf* sb_ = nullptr;
    read_feed feed_;
    BerElement* ber_ = ber_alloc_t(LBER_USE_DER);

public:
    ~feed_stack() override { ber_free(ber_, 1); }
};

TEST_F(feed_stack, BytesOnTheSocketAreNotLibldapsToRead) {
    const std::string e = element(1);
    ASSERT_EQ(::write(fds_[1], e.data(), e.size()), static_cast<ssize_t>(e.size()));
    EXPECT_FALSE(data_ready());
    EXPECT_EQ(read_element(), LBER_DEFAULT);  // EAGAIN from the empty feed, socket untouched
    char byte = 0;
    EXPECT_EQ(::recv(fds_[0], &byte, 1, MSG_PEEK | MSG_DONTWAIT), 1);
}

TEST_F(feed_stack, FedBytesAreReadyAndReadAsMessages) {
    feed(element(1) + element(2));
    EXPECT_TRUE(data_ready());
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_TRUE(data_ready());
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_FALSE(data_ready());
}

TEST_F(feed_stack, AMessageSplitAcrossReadsCompletesWithTheNextRead) {
    const std::string e = element(7);
    feed(std::string_view(e).substr(0, 5));
    EXPECT_EQ(read_element(), LBER_DEFAULT);  // partial: libldap keeps what it took
    EXPECT_FALSE(data_ready());
    feed(std::string_view(e).substr(5));
    EXPECT_TRUE(data_ready());
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_FALSE(data_ready());
}

TEST_F(feed_stack, UnreadBytesMoveToTheFrontWhenRoomRunsShort) {
    // libldap has taken one message of several: asking for room then moves the rest to the
    // front of the buffer, and every message still reads intact, in order.
    std::string messages;
    for (int i = 0; i < 10; ++i) {
        messages += element(i);
    }
    feed(messages);
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    const std::string more = element(10);
    feed(more);  // room() compacts: nine unread messages ahead of the new one
    int read = 1;
    while (data_ready() && read_element() == LBER_SEQUENCE) {
        ++read;
    }
    EXPECT_EQ(read, 11);
}

TEST_F(feed_stack, RoomGrowsForMoreThanTheBufferHolds) {
    std::string many;
    for (int i = 0; i < 2000; ++i) {  // ~100 KB, several times the initial room
        many += element(i);
    }
    for (std::size_t at = 0; at < many.size();) {
        const auto room = feed_.room();
        const std::size_t n = std::min(room.size(), many.size() - at);
        std::memcpy(room.data(), many.data() + at, n);
        feed_.commit(n);
        at += n;
    }
    int read = 0;
    while (data_ready() && read_element() == LBER_SEQUENCE) {
        ++read;
    }
    EXPECT_EQ(read, 2000);
}

}  // namespace
}  // namespace scimldap::ldap::detail
