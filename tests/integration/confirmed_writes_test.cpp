// Semi-synchronous replication (ldap.confirm_writes, docs/scale-out.md): a write request is
// answered once the other provider holds its changes; a provider that is down does not hold
// writes up; a write whose provider dies before the other has it is answered 503, not 2xx.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/frozen_process.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/replicated_slapd.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <future>
#include <thread>

namespace {

using namespace scimldap::testing;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace bhttp = boost::beast::http;

std::string user_dn(const std::string& uid) {
    return "uid=" + uid + ",ou=People,dc=example,dc=org";
}

class ConfirmedWrites : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        directory_ = new replicated_slapd();
        directory_->start();
        bridge_options options;
        options.ldap["uris"] =
            json::array{directory_->provider(1).uri(), directory_->provider(2).uri()};
        options.ldap["connect_timeout"] = "1s";
        options.ldap["operation_timeout"] = "1s";
        options.ldap["failback_after"] = "1s";
        options.ldap["confirm_writes"] = "20s";
        options.request_timeout = 25s;
        bridge_ = new bridge_fixture(directory_->provider(1), options);
        bridge_->start();
    }
    static void TearDownTestSuite() {
        delete bridge_;
        bridge_ = nullptr;
        delete directory_;
        directory_ = nullptr;
    }
    void SetUp() override {
        for (int i : {1, 2}) {
            if (!directory_->provider(i).running()) {
                directory_->provider(i).start();
            }
        }
        // A server the bridge found down is taken as down for reconnect_backoff_min (100 ms).
        std::this_thread::sleep_for(200ms);
        // Back on provider 1 (failback), so every test starts with it as the target.
        ASSERT_TRUE(eventually(
            [] {
                return create("confirm.nudge." + std::to_string(++nudges_)).status == 201 &&
                       target_is(directory_->provider(1).uri());
            },
            15s));
    }

    static http_reply create(const std::string& user_name) {
        return bridge_->request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                                R"({"userName": ")" + user_name + R"("})");
    }
    static bool target_is(const std::string& uri) {
        const http_reply r = http_request(bridge_->port(), bhttp::verb::get, "/readyz");
        return r.status == 200 && r.json().as_object().at("ldap").as_string() == uri;
    }

    static replicated_slapd* directory_;
    static bridge_fixture* bridge_;
    static inline int nudges_ = 0;
};
replicated_slapd* ConfirmedWrites::directory_ = nullptr;
bridge_fixture* ConfirmedWrites::bridge_ = nullptr;

TEST_F(ConfirmedWrites, ACreateIsAnsweredOnceTheOtherProviderHoldsIt) {
    const http_reply r = create("confirm.create");
    ASSERT_EQ(r.status, 201u) << r.body;
    // Read at once, no waiting: the answer came after provider 2 had it.
    EXPECT_TRUE(ldap_admin(directory_->provider(2)).read(user_dn("confirm.create")));
}

TEST_F(ConfirmedWrites, APatchAndADeleteAreAnsweredOnceTheOtherProviderHoldsThem) {
    const http_reply made = create("confirm.patch");
    ASSERT_EQ(made.status, 201u) << made.body;
    const std::string id(made.json().as_object().at("id").as_string());

    const http_reply patched =
        bridge_->request(bhttp::verb::patch, "/scim/v2/Users/" + id, bridge_fixture::default_token,
                         R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "title", "value": "Replicated"}]})");
    ASSERT_EQ(patched.status, 200u) << patched.body;
    const auto entry = ldap_admin(directory_->provider(2)).read(user_dn("confirm.patch"));
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->first("title"), "Replicated");

    const http_reply removed = bridge_->request(bhttp::verb::delete_, "/scim/v2/Users/" + id,
                                                bridge_fixture::default_token);
    ASSERT_EQ(removed.status, 204u) << removed.body;
    EXPECT_FALSE(ldap_admin(directory_->provider(2)).read(user_dn("confirm.patch")));
}

TEST_F(ConfirmedWrites, AnOtherProviderThatIsDownDoesNotHoldWritesUp) {
    directory_->provider(2).kill();
    const auto start = std::chrono::steady_clock::now();
    const http_reply r = create("confirm.alone");
    ASSERT_EQ(r.status, 201u) << r.body;
    // Not after the 20 s of confirm_writes: a provider that refuses connections is not waited for.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_TRUE(ldap_admin(directory_->provider(1)).read(user_dn("confirm.alone")));

    // Back up, provider 2 catches up by replication.
    directory_->provider(2).start();
    EXPECT_TRUE(
        replicated_slapd::wait_for_entry(directory_->provider(2), user_dn("confirm.alone")));
}

TEST_F(ConfirmedWrites, AWriteWhoseProviderDiesBeforeTheOtherHasItIsAnswered503) {
    std::future<http_reply> reply;
    {
        // Provider 2 takes nothing while frozen: the create waits for it.
        frozen_directory frozen(directory_->provider(2).pid());
        reply = std::async(std::launch::async, [] { return create("confirm.lost"); });
        ASSERT_TRUE(eventually(
            [] {
                return ldap_admin(directory_->provider(1))
                    .read(user_dn("confirm.lost"))
                    .has_value();
            },
            5s));
        // Past the bridge's read-back of the entry, into its wait for provider 2 (which takes
        // connect_timeout, 1 s, to be found silent).
        std::this_thread::sleep_for(200ms);
        directory_->provider(1).kill();
        ASSERT_EQ(reply.wait_for(10s), std::future_status::ready);
    }
    const http_reply r = reply.get();
    EXPECT_EQ(r.status, 503u) << r.body;
    EXPECT_NE(r.body.find("may be lost"), std::string::npos) << r.body;
    EXPECT_FALSE(r.header("Retry-After").empty());
}

}  // namespace

namespace {

/// Two bridges, each writing to another provider: what two bridges do in a failover window
/// (docs/scale-out.md, "The window"), made to last by cutting replication between the
/// providers while both bridges create the same userName.
class ReplicationConflict : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        directory_ = new replicated_slapd({}, true);
        directory_->start();
        const auto p1 = directory_->provider(1).uri();
        const auto p2 = directory_->provider(2).uri();
        for (auto* uris : {&uris_a_, &uris_b_}) {
            *uris = uris == &uris_a_ ? json::array{p1, p2} : json::array{p2, p1};
        }
        bridge_a_ = new bridge_fixture(directory_->provider(1), options(uris_a_));
        bridge_a_->start();
        bridge_b_ = new bridge_fixture(directory_->provider(1), options(uris_b_));
        bridge_b_->start();
    }
    static void TearDownTestSuite() {
        delete bridge_b_;
        delete bridge_a_;
        delete directory_;
        bridge_a_ = bridge_b_ = nullptr;
        directory_ = nullptr;
    }
    static bridge_options options(const json::array& uris) {
        bridge_options o;
        o.ldap["uris"] = uris;
        o.ldap["confirm_writes"] = "10s";
        o.request_timeout = 15s;
        return o;
    }
    static http_reply create(bridge_fixture& bridge, const std::string& user_name) {
        return bridge.request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                              R"({"userName": ")" + user_name + R"("})");
    }
    static std::optional<std::string> uuid_on(int provider, const std::string& dn) {
        const auto e = ldap_admin(directory_->provider(provider)).read(dn, {"entryUUID"});
        return e ? e->first("entryUUID") : std::nullopt;
    }

    static inline json::array uris_a_;
    static inline json::array uris_b_;
    static inline replicated_slapd* directory_ = nullptr;
    static inline bridge_fixture* bridge_a_ = nullptr;
    static inline bridge_fixture* bridge_b_ = nullptr;
};

TEST_F(ReplicationConflict, ADuplicateCreateThroughTwoProvidersAtOnceAnswers201And409) {
    const std::string dn = user_dn("conflict.dup");
    directory_->partition(true);
    auto via_a = std::async(std::launch::async, [] { return create(*bridge_a_, "conflict.dup"); });
    auto via_b = std::async(std::launch::async, [] { return create(*bridge_b_, "conflict.dup"); });
    // Each provider took its own create (the unique overlay sees only its own database).
    ASSERT_TRUE(eventually([&] { return uuid_on(1, dn) && uuid_on(2, dn); }, 5s));
    ASSERT_NE(uuid_on(1, dn), uuid_on(2, dn));
    directory_->partition(false);

    const http_reply a = via_a.get();
    const http_reply b = via_b.get();
    ASSERT_TRUE((a.status == 201 && b.status == 409) || (a.status == 409 && b.status == 201))
        << a.status << " " << a.body << "\n"
        << b.status << " " << b.body;
    const http_reply& kept = a.status == 201 ? a : b;
    const http_reply& lost = a.status == 201 ? b : a;
    EXPECT_NE(lost.body.find("replication conflict"), std::string::npos) << lost.body;
    EXPECT_EQ(lost.json().as_object().at("scimType").as_string(), "uniqueness");
    // Both providers end with the entry whose id the 201 gave.
    const std::string id(kept.json().as_object().at("id").as_string());
    EXPECT_TRUE(eventually([&] { return uuid_on(1, dn) == id && uuid_on(2, dn) == id; }, 10s));
}

}  // namespace
