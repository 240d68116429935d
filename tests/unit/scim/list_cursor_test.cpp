// Cursors of cursor paging (RFC 9865): what verifies, what is invalidCursor or expiredCursor,
// and the entryCSN bounds of the key-range searches.
#include "bridge/scim/list_cursor.hpp"
#include "bridge/scim/cursor_pages.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace scimldap::scim {
namespace {

using namespace std::chrono_literals;

const std::string key(32, 'k');
const std::chrono::sys_seconds t0{std::chrono::seconds(1'800'000'000)};
const cursor_position position{"20261207060332.755532Z#000000#000#000000",
                               "ad335c4c-864f-1041-8cf0-259a90752360", 123'456};
const std::string binding = cursor_binding("default", "User", "userName sw \"k\"");

errc defect(const result<cursor_position>& r) {
    EXPECT_FALSE(r) << "the cursor was accepted";
    return r ? errc::internal : r.error().code;
}

TEST(ListCursor, SealedCursorOpensToItsPosition) {
    const std::string cursor = seal_cursor(position, binding, key, t0 + 3600s);
    // RFC 9865 §2: only unreserved characters (RFC 3986 §2.3), so it needs no escaping.
    EXPECT_TRUE(std::all_of(cursor.begin(), cursor.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
               c == '~';
    })) << cursor;
    const auto opened = open_cursor(cursor, binding, key, t0 + 10s);
    ASSERT_TRUE(opened) << opened.error().detail;
    EXPECT_EQ(opened->csn, position.csn);
    EXPECT_EQ(opened->id, position.id);
    EXPECT_EQ(opened->window_us, position.window_us);
}

TEST(ListCursor, AnyAlteredCharacterIsInvalidCursor) {
    const std::string cursor = seal_cursor(position, binding, key, t0 + 3600s);
    for (std::size_t i = 0; i < cursor.size(); ++i) {
        std::string altered = cursor;
        altered[i] = altered[i] == 'A' ? 'B' : 'A';
        EXPECT_EQ(defect(open_cursor(altered, binding, key, t0)), errc::invalid_cursor) << i;
    }
    EXPECT_EQ(defect(open_cursor("", binding, key, t0)), errc::invalid_cursor);
    EXPECT_EQ(defect(open_cursor(cursor.substr(0, cursor.find('.')), binding, key, t0)),
              errc::invalid_cursor);
    std::string too_long(5000, 'a');
    too_long.append(".a");
    EXPECT_EQ(defect(open_cursor(too_long, binding, key, t0)), errc::invalid_cursor);
}

TEST(ListCursor, CursorOfAnotherTenantTypeFilterOrKeyIsInvalidCursor) {
    const std::string cursor = seal_cursor(position, binding, key, t0 + 3600s);
    for (const auto& other : {cursor_binding("classlark", "User", "userName sw \"k\""),
                              cursor_binding("default", "Group", "userName sw \"k\""),
                              cursor_binding("default", "User", "userName sw \"j\""),
                              cursor_binding("default", "User", "")}) {
        EXPECT_EQ(defect(open_cursor(cursor, other, key, t0)), errc::invalid_cursor);
    }
    EXPECT_EQ(defect(open_cursor(cursor, binding, std::string(32, 'o'), t0)), errc::invalid_cursor);
}

TEST(ListCursor, CursorIsExpiredFromItsExpiryOn) {
    const std::string cursor = seal_cursor(position, binding, key, t0 + 60s);
    EXPECT_TRUE(open_cursor(cursor, binding, key, t0 + 59s));
    EXPECT_EQ(defect(open_cursor(cursor, binding, key, t0 + 60s)), errc::expired_cursor);
    // An expired cursor of another query is not announced as expired: it is not this one's.
    EXPECT_EQ(defect(open_cursor(cursor, cursor_binding("x", "User", ""), key, t0 + 3600s)),
              errc::invalid_cursor);
}

TEST(CursorWindows, CsnTimeRoundTripsToItsMicrosecondBounds) {
    const auto t = csn_microseconds(position.csn);
    ASSERT_TRUE(t);
    EXPECT_EQ(lowest_csn(*t), "20261207060332.755532Z#000000#000#000000");
    EXPECT_EQ(highest_csn(*t), "20261207060332.755532Z#ffffff#fff#ffffff");
    EXPECT_EQ(lowest_csn(0), "19700101000000.000000Z#000000#000#000000");
    EXPECT_EQ(csn_microseconds(lowest_csn(*t + 1)), *t + 1);
    // The bounds order like the CSNs between them (csnOrderingMatch compares the text).
    EXPECT_LT(highest_csn(*t), lowest_csn(*t + 1));
    // A base entry's createTimestamp, where the first page's windows start.
    EXPECT_EQ(csn_microseconds("19700101000001Z"), 1'000'000);
}

TEST(CursorWindows, TextThatIsNotACsnHasNoTime) {
    EXPECT_FALSE(csn_microseconds(""));
    EXPECT_FALSE(csn_microseconds("20261207060332"));
    EXPECT_FALSE(csn_microseconds("2026120706033x.755532Z#000000#000#000000"));
    EXPECT_FALSE(csn_microseconds("20261307060332.755532Z#000000#000#000000"));
}

}  // namespace
}  // namespace scimldap::scim
