// Big answers with bounded memory (issue 13, point 7): list walks share one walk and wait for
// a turn under a per-tenant and a total cap (503 with Retry-After past the queue timeout), and
// a group with more members than scim.max_members_inline is refused with 400 tooMany unless
// its members are excluded. The suite runs with small limits: 5 members inline, one walk per
// tenant, two in total, a 1 s queue.
#include "bridge/scim/test_hooks.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <future>
#include <set>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

// Past the first search's size limit (200), so unfiltered lists walk.
constexpr int user_count = 260;
constexpr int classlark_count = 230;
constexpr int max_members_inline = 5;
constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* groups_base = "ou=Groups,dc=example,dc=org";

std::string uid(int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "b%03d", i);
    return buf;
}

std::string user_ldif(const std::string& name, const std::string& base) {
    return "dn: uid=" + name + "," + base +
           "\nobjectClass: inetOrgPerson\nobjectClass: scimBridgeObject\nuid: " + name +
           "\ncn: " + name + "\nsn: Big\n\n";
}

// The profile's placeholder member, spelt as an administrator might: the server matches DNs.
constexpr const char* placeholder = "CN=Empty-Membership-Placeholder,DC=example,DC=org";

/// A groupOfNames holding users 0..members-1 (after `first_value`, if any).
std::string group_ldif(const std::string& name, int members, const std::string& first_value = {}) {
    std::string out = "dn: cn=" + name + "," + groups_base +
                      "\nobjectClass: groupOfNames\nobjectClass: scimBridgeObject\ncn: " + name +
                      "\n";
    if (!first_value.empty()) {
        out += "member: " + first_value + "\n";
    }
    for (int i = 0; i < members; ++i) {
        out += "member: uid=" + uid(i) + "," + people + "\n";
    }
    return out + "\n";
}

/// Where a test hook holds the bridge: each arrival is counted and waits until release()
/// (bounded at 10 s), on the bridge's own executor.
struct hold_gate {
    std::atomic<int> held{0};
    std::atomic<bool> released{false};
    asio::awaitable<void> arrive() {
        ++held;
        asio::steady_timer t(co_await asio::this_coro::executor);
        for (int i = 0; i < 1000 && !released; ++i) {
            t.expires_after(std::chrono::milliseconds(10));
            co_await t.async_wait(asio::use_awaitable);
        }
    }
    void release() { released = true; }
};

class BigReads : public bridge_suite<BigReads> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.edit_config = [](json::object& config) {
            config["scim"] = {{"max_members_inline", max_members_inline},
                              {"max_walks", 2},
                              {"max_walks_per_tenant", 1},
                              {"walk_queue_timeout", "1s"}};
        };
        return o;
    }
    static void seed(const slapd_launcher& slapd) {
        ldap_admin admin(slapd);
        std::string ldif;
        for (int i = 0; i < user_count; ++i) {
            ldif += user_ldif(uid(i), people);
        }
        for (int i = 0; i < classlark_count; ++i) {
            ldif += user_ldif("c" + std::to_string(i) + "@school.org",
                              "ou=People,ou=classlark,dc=example,dc=org");
        }
        ldif += group_ldif("big", max_members_inline + 3);
        ldif += group_ldif("small", 3);
        ldif += group_ldif("full", max_members_inline, placeholder);
        ldif += group_ldif("over", max_members_inline + 1, placeholder);
        admin.apply_ldif(ldif);
    }

protected:
    void TearDown() override { scim::test_hooks::walk_started = nullptr; }

    static http_reply get(const std::string& target,
                          const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(bhttp::verb::get, "/scim/v2" + target, token);
    }
    static std::string id_of(const std::string& dn) {
        ldap_admin admin(*slapd_);
        return attribute_values(*admin.read(dn, {"entryUUID"}), "entryUUID").at(0);
    }
    static std::vector<std::string> user_names(const http_reply& r) {
        std::vector<std::string> out;
        const auto body = r.json();
        for (const auto& u : body.at("Resources").as_array()) {
            out.emplace_back(u.at("userName").as_string());
        }
        return out;
    }
    /// The userNames of page [first, first+count) in the default order (by uid).
    static std::vector<std::string> expected_page(int first, int count) {
        std::vector<std::string> out;
        for (int i = first; i < first + count && i < user_count; ++i) {
            out.push_back(uid(i));
        }
        return out;
    }

    /// Holds every walk at its start (test_hooks::walk_started) until release().
    struct held_walks : hold_gate {
        void install() {
            scim::test_hooks::walk_started = [this] { return arrive(); };
        }
    };

    /// A GET on its own thread (the held walk's request blocks until released).
    static std::future<http_reply> get_async(
        const std::string& target, const std::string& token = bridge_fixture::default_token) {
        return std::async(std::launch::async, [target, token] { return get(target, token); });
    }
};

// --- groups larger than max_members_inline --------------------------------------------------

TEST_F(BigReads, GroupWithMoreMembersThanTheLimitIsTooMany) {
    const std::string big = id_of(std::string("cn=big,") + groups_base);
    const auto r = get("/Groups/" + big);
    ASSERT_EQ(r.status, 400u) << r.body;
    const auto body = r.json();
    EXPECT_EQ(body.at("scimType").as_string(), "tooMany");
    const std::string detail(body.at("detail").as_string());
    EXPECT_NE(detail.find("has 8 members, more than the 5"), std::string::npos) << detail;
    EXPECT_NE(detail.find("excludedAttributes=members"), std::string::npos) << detail;
    // A read: the group in LDAP keeps its members.
    ldap_admin admin(*slapd_);
    EXPECT_EQ(attribute_values(*admin.read(std::string("cn=big,") + groups_base), "member").size(),
              8u);
}

TEST_F(BigReads, GroupAboveTheLimitIsReadWithMembersExcluded) {
    const std::string big = id_of(std::string("cn=big,") + groups_base);
    const auto r = get("/Groups/" + big + "?excludedAttributes=members");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("id").as_string(), big);
    EXPECT_EQ(body.at("displayName").as_string(), "big");
    EXPECT_FALSE(body.contains("members"));
}

TEST_F(BigReads, GroupWithinTheLimitListsEveryMemberById) {
    const std::string small = id_of(std::string("cn=small,") + groups_base);
    const auto r = get("/Groups/" + small);
    ASSERT_EQ(r.status, 200u) << r.body;
    std::set<std::string> got;
    const auto body = r.json();
    for (const auto& m : body.at("members").as_array()) {
        got.insert(std::string(m.at("value").as_string()));
    }
    const std::set<std::string> want{id_of("uid=" + uid(0) + "," + people),
                                     id_of("uid=" + uid(1) + "," + people),
                                     id_of("uid=" + uid(2) + "," + people)};
    EXPECT_EQ(got, want);
}

TEST_F(BigReads, PlaceholderIsNotCountedAgainstTheLimit) {
    // Six member values, one of them the placeholder: five members, as many as the limit.
    const std::string full = id_of(std::string("cn=full,") + groups_base);
    const auto r = get("/Groups/" + full);
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json();
    EXPECT_EQ(body.at("members").as_array().size(), std::size_t(max_members_inline)) << r.body;
}

TEST_F(BigReads, GroupOverTheLimitIsTooManyWithItsPlaceholderCountedOut) {
    const std::string over = id_of(std::string("cn=over,") + groups_base);
    const auto r = get("/Groups/" + over);
    ASSERT_EQ(r.status, 400u) << r.body;
    const std::string detail(r.json().at("detail").as_string());
    EXPECT_NE(detail.find("has 6 members, more than the 5"), std::string::npos) << detail;
    ldap_admin admin(*slapd_);
    EXPECT_EQ(attribute_values(*admin.read(std::string("cn=over,") + groups_base), "member").size(),
              7u);
}

TEST_F(BigReads, MemberFilterStillFindsTheBigGroup) {
    const std::string member = id_of("uid=" + uid(6) + "," + people);  // in big, not in small
    const auto r =
        get("/Groups?excludedAttributes=members&filter=members.value%20eq%20%22" + member + "%22");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto body = r.json();
    ASSERT_EQ(body.at("totalResults").to_number<int>(), 1) << r.body;
    EXPECT_EQ(body.at("Resources").at(0).at("displayName").as_string(), "big");
}

TEST_F(BigReads, ListPageHoldingTheBigGroupIsTooManyUnlessMembersAreExcluded) {
    const auto with = get("/Groups?filter=displayName%20eq%20%22big%22");
    ASSERT_EQ(with.status, 400u) << with.body;
    EXPECT_EQ(with.json().at("scimType").as_string(), "tooMany");
    const auto without =
        get("/Groups?filter=displayName%20eq%20%22big%22&excludedAttributes=members");
    ASSERT_EQ(without.status, 200u) << without.body;
    EXPECT_EQ(without.json().at("totalResults").to_number<int>(), 1);
}

TEST_F(BigReads, MemberAddToTheBigGroupIsWrittenAsOneValue) {
    const std::string big = id_of(std::string("cn=big,") + groups_base);
    const std::string newcomer = id_of("uid=" + uid(20) + "," + people);
    const std::string body =
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)"
        R"({"op":"add","path":"members","value":[{"value":")" +
        newcomer + R"("}]}]})";
    const auto r = bridge_->request(bhttp::verb::patch, "/scim/v2/Groups/" + big,
                                    bridge_fixture::default_token, body);
    ASSERT_EQ(r.status, 204u) << r.body;
    ldap_admin admin(*slapd_);
    const auto members =
        attribute_values(*admin.read(std::string("cn=big,") + groups_base), "member");
    EXPECT_EQ(members.size(), 9u);
    EXPECT_NE(std::find(members.begin(), members.end(), "uid=" + uid(20) + "," + people),
              members.end());
    // Undo, so the other tests see 8 members.
    admin.apply_ldif(std::string("dn: cn=big,") + groups_base +
                     "\nchangetype: modify\ndelete: member\nmember: uid=" + uid(20) + "," + people +
                     "\n");
}

// --- walks: shared, limited per tenant and in total ------------------------------------------

TEST_F(BigReads, IdenticalConcurrentWalksShareOneAndEachGetsItsPage) {
    held_walks walks;
    walks.install();
    // A query no other test walks, so no id list of it is cached from before.
    const std::string query = "/Users?attributes=userName&filter=userName%20sw%20%22b%22";
    auto first = get_async(query + "&count=10");
    ASSERT_TRUE(eventually([&] { return walks.held == 1; }));
    // Same query, other pages: they join the walk in flight instead of walking again.
    auto middle = get_async(query + "&startIndex=101&count=7");
    auto last = get_async(query + "&startIndex=255&count=10");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    walks.release();
    const auto a = first.get();
    const auto b = middle.get();
    const auto c = last.get();
    ASSERT_EQ(a.status, 200u) << a.body;
    ASSERT_EQ(b.status, 200u) << b.body;
    ASSERT_EQ(c.status, 200u) << c.body;
    EXPECT_EQ(walks.held, 1);
    EXPECT_EQ(user_names(a), expected_page(0, 10));
    EXPECT_EQ(user_names(b), expected_page(100, 7));
    EXPECT_EQ(user_names(c), expected_page(254, 10));
    EXPECT_EQ(c.json().at("totalResults").to_number<int>(), user_count);
}

TEST_F(BigReads, WalkOverTheTenantLimitIs503WithRetryAfter) {
    held_walks walks;
    walks.install();
    auto held = get_async("/Users?count=10&attributes=userName");
    ASSERT_TRUE(eventually([&] { return walks.held == 1; }));
    // Another query of the same tenant needs its own walk: no turn within 1 s.
    const auto refused = get("/Users?count=10&sortBy=title&attributes=userName");
    walks.release();
    ASSERT_EQ(refused.status, 503u) << refused.body;
    EXPECT_EQ(refused.header("Retry-After"), "1");
    const std::string detail(refused.json().at("detail").as_string());
    EXPECT_NE(detail.find("too many list walks"), std::string::npos) << detail;
    EXPECT_EQ(held.get().status, 200u);
    EXPECT_EQ(walks.held, 1);
}

TEST_F(BigReads, WalkWaitsInTheQueueForTheTurnThatFrees) {
    held_walks walks;
    walks.install();
    auto held = get_async("/Users?count=10&attributes=userName");
    ASSERT_TRUE(eventually([&] { return walks.held == 1; }));
    auto queued = get_async("/Users?count=3&sortBy=title&sortOrder=descending&attributes=userName");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    walks.release();  // the held walk ends within the queued one's 1 s
    EXPECT_EQ(held.get().status, 200u);
    const auto r = queued.get();
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults").to_number<int>(), user_count);
    EXPECT_EQ(walks.held, 2);
}

TEST_F(BigReads, OtherTenantWalksWhileOneTenantIsAtItsLimit) {
    held_walks walks;
    walks.install();
    auto held = get_async("/Users?count=10&attributes=userName");
    ASSERT_TRUE(eventually([&] { return walks.held == 1; }));
    auto other = get_async("/Users?count=5&attributes=userName", bridge_fixture::classlark_token);
    ASSERT_TRUE(eventually([&] { return walks.held == 2; }));
    walks.release();
    const auto r = other.get();
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults").to_number<int>(), classlark_count);
    EXPECT_EQ(held.get().status, 200u);
}

// --- turns of group reads with members ------------------------------------------------------
// A long member list (more than scim::short_member_list values) keeps its turn while it is read;
// a short one gives it back once counted. One turn per tenant here, a 1 s queue.

constexpr int long_list = 150;  // > short_member_list (100), < max_members_inline (1,000)

class MemberListTurns : public bridge_suite<MemberListTurns> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.edit_config = [](json::object& config) {
            config["scim"] = {{"max_members_inline", 1000},
                              {"max_walks", 2},
                              {"max_walks_per_tenant", 1},
                              {"walk_queue_timeout", "1s"}};
        };
        return o;
    }
    static void seed(const slapd_launcher& slapd) {
        std::string ldif;
        for (int i = 0; i < long_list; ++i) {
            ldif += user_ldif(uid(i), people);
        }
        ldif += group_ldif("long", long_list);
        ldif += group_ldif("long-too", long_list);
        ldif += group_ldif("short", 3);
        ldif += group_ldif("unseen-1", 2);
        ldif += group_ldif("unseen-2", 2);
        ldap_admin(slapd).apply_ldif(ldif);
    }

protected:
    void TearDown() override {
        scim::test_hooks::member_list_read = nullptr;
        scim::test_hooks::member_count_started = nullptr;
    }

    static std::string group_target(const std::string& cn) {
        ldap_admin admin(*slapd_);
        const auto entry = admin.read("cn=" + cn + "," + groups_base, {"entryUUID"});
        return "/scim/v2/Groups/" + attribute_values(*entry, "entryUUID").at(0);
    }
    static std::future<http_reply> get_async(const std::string& target) {
        return std::async(std::launch::async, [target] {
            return bridge_->request(bhttp::verb::get, target, bridge_fixture::default_token);
        });
    }

    /// Holds the reads of long member lists (those that keep their turn) until release().
    struct held_long_reads : hold_gate {
        void install() {
            scim::test_hooks::member_list_read = [this](bool keeps) -> asio::awaitable<void> {
                if (keeps) {
                    co_await arrive();
                }
            };
        }
    };

    /// Holds every count that took a turn until release().
    struct held_counts : hold_gate {
        void install() {
            scim::test_hooks::member_count_started = [this] { return arrive(); };
        }
    };
};

TEST_F(MemberListTurns, AShortGroupIsReadWhileALongListHoldsTheTenantsTurn) {
    held_long_reads reads;
    reads.install();
    auto long_read = get_async(group_target("long"));
    ASSERT_TRUE(eventually([&] { return reads.held == 1; }));

    const auto r =
        bridge_->request(bhttp::verb::get, group_target("short"), bridge_fixture::default_token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("members").as_array().size(), 3u);

    reads.release();
    const auto l = long_read.get();
    ASSERT_EQ(l.status, 200u) << l.body;
    EXPECT_EQ(l.json().at("members").as_array().size(), std::size_t(long_list));
}

TEST_F(MemberListTurns, ASecondLongListWaitsForTheTurnThen503WithRetryAfter) {
    held_long_reads reads;
    reads.install();
    auto long_read = get_async(group_target("long"));
    ASSERT_TRUE(eventually([&] { return reads.held == 1; }));

    const auto r =
        bridge_->request(bhttp::verb::get, group_target("long-too"), bridge_fixture::default_token);
    EXPECT_EQ(r.status, 503u) << r.body;
    EXPECT_FALSE(r.header("Retry-After").empty());
    EXPECT_EQ(reads.held, 1) << "the second long list was read without a turn";

    reads.release();
    EXPECT_EQ(long_read.get().status, 200u);
}

TEST_F(MemberListTurns, GroupsKnownShortAreCountedWithoutATurn) {
    // "short" read once: known short. The tenant's one count turn is then held by a group never
    // read before.
    ASSERT_EQ(
        bridge_->request(bhttp::verb::get, group_target("short"), bridge_fixture::default_token)
            .status,
        200u);
    held_counts counts;
    counts.install();
    auto unseen = get_async(group_target("unseen-1"));
    ASSERT_TRUE(eventually([&] { return counts.held == 1; }));

    const auto known =
        bridge_->request(bhttp::verb::get, group_target("short"), bridge_fixture::default_token);
    ASSERT_EQ(known.status, 200u) << known.body;
    EXPECT_EQ(known.json().at("members").as_array().size(), 3u);

    // A group created with a short list is read back without a turn.
    const std::string member = attribute_values(
        *ldap_admin(*slapd_).read("uid=" + uid(0) + "," + people, {"entryUUID"}), "entryUUID")[0];
    const auto created = bridge_->request(
        bhttp::verb::post, "/scim/v2/Groups", bridge_fixture::default_token,
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"fresh",)"
        R"("members":[{"value":")" +
            member + R"("}]})");
    ASSERT_EQ(created.status, 201u) << created.body;
    EXPECT_EQ(created.json().at("members").as_array().size(), 1u);
    EXPECT_EQ(attribute_values(*ldap_admin(*slapd_).read(std::string("cn=fresh,") + groups_base),
                               "member")
                  .size(),
              1u);

    // A group not known waits for the turn: 503 after the 1 s queue.
    const auto other =
        bridge_->request(bhttp::verb::get, group_target("unseen-2"), bridge_fixture::default_token);
    EXPECT_EQ(other.status, 503u) << other.body;
    EXPECT_FALSE(other.header("Retry-After").empty());
    EXPECT_EQ(counts.held, 1);

    counts.release();
    EXPECT_EQ(unseen.get().status, 200u);
}

}  // namespace
}  // namespace scimldap::testing
