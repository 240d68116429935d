// Cursor paging (RFC 9865) on a real directory of 600 users (more than slapd's 500-entry limit
// for the service account): walks by nextCursor with and without a re-checked filter, the
// SearchRequest form, changes during a walk, refused and expired cursors, and a cursor that a
// second bridge with the same key continues.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/percent_encoding.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr int user_count = 600;

std::string uid(int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "k%03d", i);
    return buf;
}
// employeeType is caseIgnore in LDAP and userType caseExact in SCIM: a filter on it is
// re-checked in the bridge, which drops three users in four from what LDAP returns.
std::string user_type(int i) {
    return i % 4 == 0 ? "Staff" : "staff";
}

std::string user_ldif(int i) {
    std::string out = "dn: uid=" + uid(i) + ",ou=People,dc=example,dc=org\n";
    out += "objectClass: inetOrgPerson\nobjectClass: scimBridgeObject\n";
    out += "uid: " + uid(i) + "\ncn: Cursor User " + std::to_string(i) + "\nsn: User\n";
    out += "employeeType: " + user_type(i) + "\n";
    return out + "\n";
}

std::set<std::string> users_where(const std::function<bool(int)>& pred) {
    std::set<std::string> out;
    for (int i = 0; i < user_count; ++i) {
        if (pred(i)) {
            out.insert(uid(i));
        }
    }
    return out;
}

/// One page of a walk: its userNames and the cursor to the next (none on the last page).
struct cursor_page {
    std::vector<std::string> names;
    std::optional<std::string> next;
};

cursor_page page_of(const http_reply& r) {
    cursor_page out;
    EXPECT_EQ(r.status, 200u) << r.body;
    if (r.status != 200) {
        return out;
    }
    const auto body = r.json();
    // RFC 9865 §2: no totalResults (it would cost a walk of every key); itemsPerPage as usual.
    EXPECT_FALSE(body.as_object().contains("totalResults")) << r.body;
    EXPECT_FALSE(body.as_object().contains("previousCursor")) << r.body;
    for (const auto& u : body.at("Resources").as_array()) {
        out.names.emplace_back(u.at("userName").as_string());
    }
    EXPECT_EQ(body.at("itemsPerPage").to_number<std::size_t>(), out.names.size());
    if (const auto* next = body.as_object().if_contains("nextCursor")) {
        out.next = std::string(next->as_string());
    }
    return out;
}

class CursorPaging : public bridge_suite<CursorPaging> {
public:
    static void seed(const slapd_launcher& slapd) {
        ldap_admin admin(slapd);
        std::string ldif;
        for (int i = 0; i < user_count; ++i) {
            ldif += user_ldif(i);
        }
        admin.apply_ldif(ldif);
        // Every bridge of this suite signs cursors with this key, as bridges behind one load
        // balancer do.
        std::ofstream(key_file(slapd)) << std::string(48, 'c');
        std::filesystem::permissions(key_file(slapd), std::filesystem::perms::owner_read |
                                                          std::filesystem::perms::owner_write);
    }
    static bridge_options options(const slapd_launcher& slapd) {
        bridge_options o;
        o.edit_config = [key = key_file(slapd)](json::object& c) {
            c["scim"] = {{"cursor_key_file", key}, {"max_count", 1000}};
        };
        return o;
    }
    static std::string key_file(const slapd_launcher& slapd) { return slapd.dir() + "/cursor.key"; }

protected:
    static http_reply get(const std::string& query,
                          const std::string& token = bridge_fixture::default_token,
                          const bridge_fixture* bridge = nullptr) {
        return (bridge != nullptr ? *bridge : *bridge_)
            .request(bhttp::verb::get, "/scim/v2/Users?" + query, token);
    }
    static std::string filter_param(const std::string& filter) {
        return "&filter=" + percent_encode(filter);
    }
    /// Every page of a walk by cursor, each checked to hold `count` users unless it is last.
    static std::vector<cursor_page> walk(const std::string& filter, int count) {
        std::vector<cursor_page> pages;
        std::string cursor;
        for (int guard = 0; guard < 1000; ++guard) {
            auto page = page_of(get("count=" + std::to_string(count) +
                                    "&cursor=" + percent_encode(cursor) + filter_param(filter)));
            const bool last = !page.next;
            if (!last) {
                EXPECT_EQ(page.names.size(), static_cast<std::size_t>(count))
                    << "page " << pages.size() << " is short but not the last";
                cursor = *page.next;
            }
            pages.push_back(std::move(page));
            if (last) {
                break;
            }
        }
        return pages;
    }
    static std::multiset<std::string> names_of(const std::vector<cursor_page>& pages) {
        std::multiset<std::string> out;
        for (const auto& p : pages) {
            out.insert(p.names.begin(), p.names.end());
        }
        return out;
    }
    static json::value refused(const http_reply& r) {
        EXPECT_EQ(r.status, 400u) << r.body;
        return r.status == 400 ? r.json() : json::value();
    }
    static std::string first_cursor(const std::string& filter, int count = 10) {
        const auto page =
            page_of(get("count=" + std::to_string(count) + "&cursor" + filter_param(filter)));
        EXPECT_TRUE(page.next) << "a first page of " << count << " has a next one";
        return page.next.value_or("");
    }
};

const std::string all_users = R"(userName sw "k")";

TEST_F(CursorPaging, PagesOfFiftyWalkEveryUserExactlyOnce) {
    const auto pages = walk(all_users, 50);
    EXPECT_EQ(pages.size(), 12u);  // 600 / 50, and the last one says so by having no nextCursor
    const auto names = names_of(pages);
    EXPECT_EQ(names.size(), static_cast<std::size_t>(user_count)) << "a user came twice";
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
              users_where([](int) { return true; }));
}

TEST_F(CursorPaging, PagesLargerThanTheServerSizeLimit) {
    // 501 users per page: no single search may return that many to the service account.
    const auto pages = walk(all_users, 501);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[1].names.size(), 99u);
    const auto names = names_of(pages);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
              users_where([](int) { return true; }));
}

TEST_F(CursorPaging, ReCheckedFilterStillFillsEachPage) {
    // LDAP returns every "staff" whatever its case; the bridge keeps one in four, and a page
    // still holds `count` of those (walk() checks it) until the last.
    const auto pages =
        walk(all_users.substr(0, all_users.size() - 1) + R"(" and userType eq "Staff")", 20);
    const auto names = names_of(pages);
    EXPECT_EQ(names.size(), 150u);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
              users_where([](int i) { return i % 4 == 0; }));
}

TEST_F(CursorPaging, SearchRequestPagesLikeTheGet) {
    const auto post = [](const std::string& cursor) {
        const json::object body{
            {"schemas", {"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}},
            {"filter", all_users},
            {"attributes", {"userName"}},
            {"cursor", cursor},
            {"count", 250}};
        return page_of(bridge_->request(bhttp::verb::post, "/scim/v2/Users/.search",
                                        bridge_fixture::default_token, json::serialize(body)));
    };
    auto first = post("");
    ASSERT_TRUE(first.next);
    auto second = post(*first.next);
    ASSERT_TRUE(second.next);
    auto third = post(*second.next);
    EXPECT_FALSE(third.next);
    EXPECT_EQ(first.names.size() + second.names.size() + third.names.size(),
              static_cast<std::size_t>(user_count));
    // The same first page as a GET: one order, whichever way the query came.
    EXPECT_EQ(first.names, page_of(get("count=250&cursor" + filter_param(all_users))).names);
}

TEST_F(CursorPaging, ChangesDuringAWalkSkipNothing) {
    const std::string filter = R"(userName sw "k" or userName sw "late")";
    auto first = page_of(get("count=100&cursor" + filter_param(filter)));
    ASSERT_EQ(first.names.size(), 100u);
    ASSERT_TRUE(first.next);
    // A user already returned changes, one not yet returned changes, and one is created.
    ldap_admin admin(*slapd_);
    const std::string seen = first.names.front();
    const std::string ahead =
        first.names.back() == uid(user_count - 1) ? uid(0) : uid(user_count - 1);
    for (const auto& name : {seen, ahead}) {
        admin.apply_ldif("dn: uid=" + name +
                         ",ou=People,dc=example,dc=org\nchangetype: modify\nreplace: title\n"
                         "title: Changed\n");
    }
    const json::object late{{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                            {"userName", "late1"},
                            {"name", {{"familyName", "Late"}, {"givenName", "Lou"}}}};
    const auto created = bridge_->request(bhttp::verb::post, "/scim/v2/Users",
                                          bridge_fixture::default_token, json::serialize(late));
    ASSERT_EQ(created.status, 201u) << created.body;
    ASSERT_TRUE(admin.read("uid=late1,ou=People,dc=example,dc=org"));

    std::multiset<std::string> names(first.names.begin(), first.names.end());
    std::optional<std::string> cursor = first.next;
    while (cursor) {
        auto page =
            page_of(get("count=100&cursor=" + percent_encode(*cursor) + filter_param(filter)));
        names.insert(page.names.begin(), page.names.end());
        cursor = page.next;
    }
    // Pages follow the last change: the changed users come (again) after the others, with
    // their new state; nobody is skipped and only the user changed after it was seen repeats.
    EXPECT_EQ(names.count(seen), 2u);
    EXPECT_EQ(names.count(ahead), 1u);
    EXPECT_EQ(names.count("late1"), 1u);
    EXPECT_EQ(names.size(), static_cast<std::size_t>(user_count) + 2);
    const auto entry = admin.read("uid=" + seen + ",ou=People,dc=example,dc=org", {"title"});
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->first("title"), "Changed");

    const auto removed = bridge_->request(
        bhttp::verb::delete_, "/scim/v2/Users/" + std::string(created.json().at("id").as_string()));
    EXPECT_EQ(removed.status, 204u);
}

TEST_F(CursorPaging, AlteredCursorIsInvalidCursor) {
    std::string cursor = first_cursor(all_users);
    cursor[cursor.size() / 3] = cursor[cursor.size() / 3] == 'A' ? 'B' : 'A';
    const auto e =
        refused(get("count=10&cursor=" + percent_encode(cursor) + filter_param(all_users)));
    EXPECT_EQ(e.at("scimType"), "invalidCursor");
    EXPECT_EQ(e.at("status"), "400");
    const auto junk = refused(get("count=10&cursor=not-a-cursor" + filter_param(all_users)));
    EXPECT_EQ(junk.at("scimType"), "invalidCursor");
}

TEST_F(CursorPaging, CursorOfAnotherFilterOrTenantIsInvalidCursor) {
    const std::string cursor = first_cursor(all_users);
    // Another filter: the cursor is bound to the query it continues.
    const auto other = refused(
        get("count=10&cursor=" + percent_encode(cursor) + filter_param(R"(userName sw "k1")")));
    EXPECT_EQ(other.at("scimType"), "invalidCursor");
    // Another tenant's token with the same filter: bound to the tenant too, and the answer is
    // the same as for a forged cursor (RFC 9865 §5.2).
    const auto foreign =
        refused(get("count=10&cursor=" + percent_encode(cursor) + filter_param(all_users),
                    bridge_fixture::classlark_token));
    EXPECT_EQ(foreign.at("scimType"), "invalidCursor");
    EXPECT_EQ(foreign.at("detail"), other.at("detail"));
}

TEST_F(CursorPaging, SecondBridgeWithTheSameKeyContinuesTheWalk) {
    const std::string cursor = first_cursor(all_users, 300);
    bridge_fixture same_key(*slapd_, options(*slapd_));
    same_key.start();
    const auto rest =
        page_of(get("count=300&cursor=" + percent_encode(cursor) + filter_param(all_users),
                    bridge_fixture::default_token, &same_key));
    EXPECT_EQ(rest.names.size(), 300u);
    EXPECT_FALSE(rest.next);

    bridge_options other_key = options(*slapd_);
    other_key.edit_config = [](json::object& c) { c["scim"] = json::object{}; };  // random key
    bridge_fixture stranger(*slapd_, other_key);
    stranger.start();
    const auto e =
        refused(get("count=300&cursor=" + percent_encode(cursor) + filter_param(all_users),
                    bridge_fixture::default_token, &stranger));
    EXPECT_EQ(e.at("scimType"), "invalidCursor");
}

TEST_F(CursorPaging, CursorPastItsTimeoutIsExpiredCursor) {
    bridge_options o = options(*slapd_);
    o.edit_config = [key = key_file(*slapd_)](json::object& c) {
        c["scim"] = {{"cursor_key_file", key}, {"cursor_timeout", "1s"}};
    };
    bridge_fixture short_lived(*slapd_, o);
    short_lived.start();
    const auto first = page_of(get("count=10&cursor" + filter_param(all_users),
                                   bridge_fixture::default_token, &short_lived));
    ASSERT_TRUE(first.next);
    const std::string next =
        "count=10&cursor=" + percent_encode(*first.next) + filter_param(all_users);
    http_reply r;
    EXPECT_TRUE(eventually([&] {
        r = get(next, bridge_fixture::default_token, &short_lived);
        return r.status != 200;
    }));
    EXPECT_EQ(refused(r).at("scimType"), "expiredCursor");
}

TEST_F(CursorPaging, CursorCannotBeCombinedWithStartIndexOrSortBy) {
    EXPECT_EQ(refused(get("count=10&cursor&startIndex=1")).at("scimType"), "invalidValue");
    EXPECT_EQ(refused(get("count=10&cursor&sortBy=userName")).at("scimType"), "invalidValue");
    const json::object root{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:SearchRequest"}},
                            {"cursor", ""}};
    const auto r = bridge_->request(bhttp::verb::post, "/scim/v2/.search",
                                    bridge_fixture::default_token, json::serialize(root));
    EXPECT_EQ(refused(r).at("scimType"), "invalidValue");
}

TEST_F(CursorPaging, WithoutCursorPagingStaysByIndex) {
    const auto body = get("count=10" + filter_param(all_users)).json();
    EXPECT_EQ(body.at("totalResults").to_number<int>(), user_count);
    EXPECT_EQ(body.at("startIndex").to_number<int>(), 1);
    EXPECT_FALSE(body.as_object().contains("nextCursor"));
}

TEST_F(CursorPaging, CountZeroWithACursorGivesOnlyTheTotal) {
    const auto body = get("count=0&cursor" + filter_param(all_users)).json();
    EXPECT_EQ(body.at("totalResults").to_number<int>(), user_count);
    EXPECT_TRUE(body.at("Resources").as_array().empty());
    EXPECT_FALSE(body.as_object().contains("nextCursor"));
}

TEST_F(CursorPaging, ServiceProviderConfigAdvertisesBothWaysOfPaging) {
    const auto r = bridge_->request(bhttp::verb::get, "/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(r.status, 200u);
    const auto config = r.json();
    const auto& p = config.at("pagination");
    EXPECT_EQ(p.at("cursor"), true);
    EXPECT_EQ(p.at("index"), true);
    EXPECT_EQ(p.at("defaultPaginationMethod"), "index");
    EXPECT_EQ(p.at("defaultPageSize").to_number<int>(), 100);
    EXPECT_EQ(p.at("maxPageSize").to_number<int>(), 1000);
    EXPECT_EQ(p.at("cursorTimeout").to_number<int>(), 3600);
}

}  // namespace
}  // namespace scimldap::testing
