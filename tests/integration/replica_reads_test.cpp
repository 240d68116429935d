// Reads from a read-only replica (ldap.read_uris, docs/scale-out.md). The "replica" here is a
// slapd of its own that never receives the provider's writes: a replica as far behind as one can
// be, so every answer shows which server gave it.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/percent_encoding.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <thread>

namespace {

using namespace scimldap::testing;
using namespace std::chrono_literals;
namespace json = boost::json;
namespace bhttp = boost::beast::http;

constexpr auto window = 400ms;  // ldap.read_your_writes in this suite

class ReplicaReads : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        provider_ = new slapd_launcher();
        provider_->start();
        replica_ = new slapd_launcher();
        replica_->start();
        bridge_options options;
        options.ldap["read_uris"] = json::array{replica_->uri()};
        options.ldap["read_your_writes"] = "400ms";
        options.ldap["operation_timeout"] = "2s";
        bridge_ = new bridge_fixture(*provider_, options);
        bridge_->start();
    }
    static void TearDownTestSuite() {
        delete bridge_;
        bridge_ = nullptr;
        delete replica_;
        replica_ = nullptr;
        delete provider_;
        provider_ = nullptr;
    }
    void SetUp() override {
        std::this_thread::sleep_for(window);  // no write of an earlier test is still recent
        if (!replica_->running()) {
            replica_->start();
        }
    }

    /// A user written straight to the provider, as another bridge would: this one has no
    /// recent write, and the replica never gets it.
    static std::string add_on_provider(const std::string& uid) {
        const std::string dn = "uid=" + uid + ",ou=People,dc=example,dc=org";
        ldap_admin admin(*provider_);
        admin.apply_ldif("dn: " + dn +
                         "\nobjectClass: inetOrgPerson\nobjectClass: scimBridgeObject\nuid: " +
                         uid + "\ncn: " + uid + "\nsn: " + uid + "\n");
        return attribute_values(*admin.read(dn), "entryUUID").at(0);
    }
    static std::int64_t found(const std::string& user_name) {
        const http_reply r = bridge_->request(
            bhttp::verb::get,
            "/scim/v2/Users?filter=" + percent_encode("userName eq \"" + user_name + "\""),
            bridge_fixture::default_token);
        EXPECT_EQ(r.status, 200u) << r.body;
        return r.status == 200 ? r.json().at("totalResults").as_int64() : -1;
    }

    static slapd_launcher* provider_;
    static slapd_launcher* replica_;
    static bridge_fixture* bridge_;
};
slapd_launcher* ReplicaReads::provider_ = nullptr;
slapd_launcher* ReplicaReads::replica_ = nullptr;
bridge_fixture* ReplicaReads::bridge_ = nullptr;

TEST_F(ReplicaReads, AListIsAnsweredByTheReplica) {
    add_on_provider("replica.unseen");
    EXPECT_EQ(found("replica.unseen"), 0) << "the provider answered";
}

TEST_F(ReplicaReads, AfterAWriteTheTenantsReadsStayOnTheProviderForTheWindow) {
    const http_reply created =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                         R"({"userName": "replica.own"})");
    ASSERT_EQ(created.status, 201u) << created.body;
    const std::string id(created.json().at("id").as_string());

    EXPECT_EQ(found("replica.own"), 1);
    EXPECT_EQ(
        bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id, bridge_fixture::default_token)
            .status,
        200u);
    std::this_thread::sleep_for(window);
    EXPECT_EQ(found("replica.own"), 0) << "the window passed: the replica answers again";
}

TEST_F(ReplicaReads, AnIdTheReplicaDoesNotHoldIsReadFromTheProvider) {
    const std::string id = add_on_provider("replica.byid");
    const http_reply r =
        bridge_->request(bhttp::verb::get, "/scim/v2/Users/" + id, bridge_fixture::default_token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("userName"), "replica.byid");
}

TEST_F(ReplicaReads, WithTheReplicaDownTheProviderAnswers) {
    add_on_provider("replica.down");
    replica_->kill();
    EXPECT_TRUE(eventually([] { return found("replica.down") == 1; }, 10s));
    // The write target decides readiness, not the replica.
    EXPECT_EQ(http_request(bridge_->port(), bhttp::verb::get, "/readyz").status, 200u);
}

}  // namespace
