// read_readiness: libldap's "data ready?" answered from the event loop's wake-ups and short reads.
#include "bridge/ldap/sockbuf_readiness.hpp"

#include <gtest/gtest.h>
#include <lber.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace scimldap::ldap::detail {
namespace {

/// A Sockbuf over one end of a socket pair, layered as an LDAP connection's is: TCP provider,
/// read_readiness, read-ahead.
class readiness_stack : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
        sb_ = ber_sockbuf_alloc();
        ASSERT_EQ(ber_sockbuf_add_io(sb_, &ber_sockbuf_io_tcp, LBER_SBIOD_LEVEL_PROVIDER, &fds_[0]),
                  0);
        ASSERT_TRUE(readiness_.attach(sb_));
        ASSERT_EQ(
            ber_sockbuf_add_io(sb_, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, nullptr),
            0);
        ASSERT_EQ(ber_sockbuf_ctrl(sb_, LBER_SB_OPT_SET_NONBLOCK, reinterpret_cast<void*>(1)), 1);
    }
    void TearDown() override {
        ber_sockbuf_free(sb_);  // closes fds_[0] through the TCP layer
        ::close(fds_[1]);
    }

    /// The peer sends one BER element shaped like an LDAP message (a SEQUENCE of an INTEGER and a
    /// string).
    void peer_sends_element(int n) {
        BerElement* ber = ber_alloc_t(LBER_USE_DER);
        ASSERT_NE(ber_printf(ber, "{is}", n, "uid=someone,ou=People,dc=example,dc=org"), -1);
        berval* flat = nullptr;
        ASSERT_EQ(ber_flatten(ber, &flat), 0);
        ASSERT_EQ(::write(fds_[1], flat->bv_val, flat->bv_len), static_cast<ssize_t>(flat->bv_len));
        ber_bvfree(flat);
        ber_free(ber, 1);
    }

    /// What libldap does on "data ready": read one element. Returns its tag (LBER_DEFAULT when
    /// nothing complete was there).
    ber_tag_t read_element() {
        BerElement* ber = ber_alloc_t(LBER_USE_DER);
        ber_len_t len = 0;
        const ber_tag_t tag = ber_get_next(sb_, &len, ber);
        ber_free(ber, 1);
        return tag;
    }

    bool data_ready() { return ber_sockbuf_ctrl(sb_, LBER_SB_OPT_DATA_READY, nullptr) > 0; }

    int fds_[2] = {-1, -1};
    Sockbuf* sb_ = nullptr;
    read_readiness readiness_;
};

TEST_F(readiness_stack, NoDataIsReadyBeforeTheEventLoopSawTheSocketReadable) {
    peer_sends_element(1);
    EXPECT_FALSE(data_ready());
}

TEST_F(readiness_stack, DataIsReadyAfterTheEventLoopSawTheSocketReadable) {
    peer_sends_element(1);
    readiness_.mark_readable();
    EXPECT_TRUE(data_ready());
}

TEST_F(readiness_stack, AShortReadThatTookEverythingEndsReadiness) {
    peer_sends_element(1);
    readiness_.mark_readable();
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_FALSE(data_ready());
}

TEST_F(readiness_stack, AReadThatFindsTheSocketEmptyEndsReadiness) {
    readiness_.mark_readable();
    EXPECT_EQ(read_element(), LBER_DEFAULT);
    EXPECT_FALSE(data_ready());
}

TEST_F(readiness_stack, AnElementLeftInReadAheadIsStillReady) {
    peer_sends_element(1);
    peer_sends_element(2);
    readiness_.mark_readable();
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_TRUE(data_ready());  // read-ahead holds the second element; the socket is empty
    EXPECT_EQ(read_element(), LBER_SEQUENCE);
    EXPECT_FALSE(data_ready());
}

}  // namespace
}  // namespace scimldap::ldap::detail
