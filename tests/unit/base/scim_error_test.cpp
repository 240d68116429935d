#include "base/scim_error.hpp"

#include <gtest/gtest.h>

namespace scimldap::scim {
namespace {

TEST(ScimError, EveryReasonMapsToAStatusAndScimType) {
    for (int i = 0; i <= static_cast<int>(errc::unavailable); ++i) {
        const auto wire = to_wire(static_cast<errc>(i));
        EXPECT_GE(wire.status, 400u) << "errc " << i;
        EXPECT_LT(wire.status, 600u) << "errc " << i;
    }
}

TEST(ScimError, CursorErrorsAre400WithRfc9865ScimTypes) {
    EXPECT_EQ(to_wire(errc::invalid_cursor).status, 400u);
    EXPECT_EQ(to_wire(errc::invalid_cursor).scim_type, "invalidCursor");
    EXPECT_EQ(to_wire(errc::expired_cursor).status, 400u);
    EXPECT_EQ(to_wire(errc::expired_cursor).scim_type, "expiredCursor");
}

TEST(ScimError, UniquenessIs409WithScimType) {
    EXPECT_EQ(to_wire(errc::uniqueness).status, 409u);
    EXPECT_EQ(to_wire(errc::uniqueness).scim_type, "uniqueness");
}

TEST(ScimError, InvalidFilterIs400) {
    EXPECT_EQ(to_wire(errc::invalid_filter).status, 400u);
    EXPECT_EQ(to_wire(errc::invalid_filter).scim_type, "invalidFilter");
}

TEST(ScimError, RequestTimeoutIs408) {
    EXPECT_EQ(to_wire(errc::request_timeout).status, 408u);
    EXPECT_EQ(to_wire(errc::request_timeout).scim_type, "");
}

}  // namespace
}  // namespace scimldap::scim
