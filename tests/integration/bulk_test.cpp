// POST /Bulk (RFC 7644 §3.7) on a real slapd: the RFC's examples adapted to the tenant's
// attributes (§3.7.1 operations, §3.7.2 bulkId references, forward ones included, §3.7.3
// circular ones and failOnErrors), an error in the middle, a reference to a failed operation,
// the size limits of §3.7.4, version as If-Match, and another tenant's ids.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* people = ",ou=People,dc=example,dc=org";
constexpr const char* bulk_schema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// At most 5 operations and 4 KiB per bulk request, so the limits are cheap to reach.
class Bulk : public bridge_suite<Bulk> {
public:
    static bridge_options options(const slapd_launcher&) {
        bridge_options o;
        o.edit_config = [](json::object& config) {
            config["scim"] =
                json::object{{"bulk", {{"max_operations", 5}, {"max_payload_bytes", 4096}}}};
        };
        return o;
    }

protected:
    static http_reply bulk(const std::string& operations, const std::string& more = "",
                           const std::string& token = bridge_fixture::default_token) {
        std::string body = R"({"schemas": [")";
        body.append(bulk_schema).append("\"]").append(more).append(R"(, "Operations": )");
        body.append(operations).append("}");
        return bridge_->request(bhttp::verb::post, "/scim/v2/Bulk", token, body);
    }
    /// The BulkResponse's operation results.
    static json::array results(const http_reply& r) {
        EXPECT_EQ(r.status, 200u) << r.body;
        return r.status == 200 ? r.json().at("Operations").as_array() : json::array{};
    }
    static std::vector<std::string> statuses(const json::array& results) {
        std::vector<std::string> out;
        for (const auto& r : results) {
            out.emplace_back(r.at("status").as_string());
        }
        return out;
    }
    static std::optional<ldap::entry> entry(const std::string& dn) {
        ldap_admin admin(*slapd_);
        return admin.read(dn);
    }
    static std::string user_dn(const std::string& uid) {
        return std::string("uid=").append(uid).append(people);
    }
    static std::string create_user(const std::string& uid) {
        std::string body = R"({"userName": ")";
        body.append(uid).append("\"}");
        const http_reply r = bridge_->request(bhttp::verb::post, "/scim/v2/Users",
                                              bridge_fixture::default_token, body);
        EXPECT_EQ(r.status, 201u) << r.body;
        return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
    }
};

TEST_F(Bulk, TheServiceProviderConfigAdvertisesBulkWithItsLimits) {
    const http_reply r = bridge_->request(bhttp::verb::get, "/scim/v2/ServiceProviderConfig");
    ASSERT_EQ(r.status, 200u);
    const json::value spc = r.json();
    const auto& b = spc.at("bulk");
    EXPECT_EQ(b.at("supported"), true);
    EXPECT_EQ(b.at("maxOperations"), 5);
    EXPECT_EQ(b.at("maxPayloadSize"), 4096);
}

// RFC 7644 §3.7.1: a POST with a bulkId, a PUT, a PATCH and a DELETE in one request.
TEST_F(Bulk, OperationsOfEveryMethodRunInOrderAndReportTheirResults) {
    const std::string put_id = create_user("bulk.put");
    const std::string patch_id = create_user("bulk.patch");
    const std::string delete_id = create_user("bulk.delete");
    std::string ops = R"([
        {"method": "POST", "path": "/Users", "bulkId": "qwerty",
         "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                  "userName": "bulk.alice", "title": "New"}},
        {"method": "PUT", "path": "/Users/)";
    ops.append(put_id).append(R"(", "data": {"userName": "bulk.put", "title": "Put"}},
        {"method": "PATCH", "path": "/Users/)");
    ops.append(patch_id).append(R"(", "data": {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "title", "value": "Patched"}]}},
        {"method": "DELETE", "path": "/Users/)");
    ops.append(delete_id).append(R"("}])");

    const auto res = results(bulk(ops));

    ASSERT_EQ(res.size(), 4u);
    EXPECT_EQ(statuses(res), (std::vector<std::string>{"201", "200", "200", "204"}));
    EXPECT_EQ(res[0].at("method"), "POST");
    EXPECT_EQ(res[0].at("bulkId"), "qwerty");
    const auto alice = entry(user_dn("bulk.alice"));
    ASSERT_TRUE(alice);
    const std::string alice_url =
        std::string("/scim/v2/Users/").append(attribute_values(*alice, "entryUUID").at(0));
    EXPECT_TRUE(res[0].at("location").as_string().ends_with(alice_url)) << res[0];
    EXPECT_FALSE(res[0].at("version").as_string().empty());
    EXPECT_TRUE(res[1].at("location").as_string().ends_with(put_id));
    EXPECT_EQ(res[3].at("method"), "DELETE");

    EXPECT_EQ(attribute_values(*entry(user_dn("bulk.alice")), "title"),
              std::vector<std::string>{"New"});
    EXPECT_EQ(attribute_values(*entry(user_dn("bulk.put")), "title"),
              std::vector<std::string>{"Put"});
    EXPECT_EQ(attribute_values(*entry(user_dn("bulk.patch")), "title"),
              std::vector<std::string>{"Patched"});
    EXPECT_FALSE(entry(user_dn("bulk.delete")));
}

// RFC 7644 §3.7.2: a group names, by bulkId, users created in the same request, one of them
// only after the group (a forward reference).
TEST_F(Bulk, BulkIdReferencesResolveForwardAndBackward) {
    const auto res = results(bulk(R"([
        {"method": "POST", "path": "/Users", "bulkId": "u1", "data": {"userName": "bulk.ref1"}},
        {"method": "POST", "path": "/Groups", "bulkId": "g1",
         "data": {"displayName": "bulk-team",
                  "members": [{"value": "bulkId:u1"}, {"value": "bulkId:u2"}]}},
        {"method": "POST", "path": "/Users", "bulkId": "u2", "data": {"userName": "bulk.ref2"}}
    ])"));

    ASSERT_EQ(res.size(), 3u);
    EXPECT_EQ(statuses(res), (std::vector<std::string>{"201", "201", "201"}));
    auto members = attribute_values(*entry("cn=bulk-team,ou=Groups,dc=example,dc=org"), "member");
    std::sort(members.begin(), members.end());
    EXPECT_EQ(members, (std::vector<std::string>{user_dn("bulk.ref1"), user_dn("bulk.ref2")}));
}

// RFC 7644 §3.7.3: users that name each other as manager wait for each other forever.
TEST_F(Bulk, CircularReferencesAre409AndNothingIsWritten) {
    const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    std::string ops = R"([{"method": "POST", "path": "/Users", "bulkId": "a", "data": {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ")";
    ops.append(enterprise).append(R"("], "userName": "bulk.circle.a", ")");
    ops.append(enterprise).append(R"(": {"manager": {"value": "bulkId:b"}}}},
        {"method": "POST", "path": "/Users", "bulkId": "b", "data": {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ")");
    ops.append(enterprise).append(R"("], "userName": "bulk.circle.b", ")");
    ops.append(enterprise).append(R"(": {"manager": {"value": "bulkId:a"}}}}])");

    const auto res = results(bulk(ops));

    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(statuses(res), (std::vector<std::string>{"409", "409"}));
    EXPECT_NE(json::serialize(res[0].at("response")).find("circular"), std::string::npos);
    EXPECT_FALSE(entry(user_dn("bulk.circle.a")));
    EXPECT_FALSE(entry(user_dn("bulk.circle.b")));
}

TEST_F(Bulk, AnErrorInTheMiddleLeavesTheOthersDone) {
    ASSERT_FALSE(create_user("bulk.taken").empty());

    const auto res = results(bulk(R"([
        {"method": "POST", "path": "/Users", "bulkId": "m1", "data": {"userName": "bulk.mid1"}},
        {"method": "POST", "path": "/Users", "bulkId": "m2", "data": {"userName": "bulk.taken"}},
        {"method": "POST", "path": "/Users", "bulkId": "m3", "data": {"userName": "bulk.mid3"}}
    ])"));

    EXPECT_EQ(statuses(res), (std::vector<std::string>{"201", "409", "201"}));
    EXPECT_EQ(res[1].at("response").at("scimType"), "uniqueness");
    EXPECT_FALSE(res[1].as_object().contains("location"));
    EXPECT_TRUE(entry(user_dn("bulk.mid1")));
    EXPECT_TRUE(entry(user_dn("bulk.mid3")));
}

TEST_F(Bulk, FailOnErrorsStopsAfterThatManyErrors) {
    const auto res = results(bulk(R"([
        {"method": "POST", "path": "/Users", "bulkId": "f1", "data": {"userName": "bulk.f1", "title": 1}},
        {"method": "POST", "path": "/Users", "bulkId": "f2", "data": {"userName": "bulk.f2"}}
    ])",
                                  R"(, "failOnErrors": 1)"));

    ASSERT_EQ(res.size(), 1u) << "the second operation is not processed";
    EXPECT_EQ(res[0].at("status"), "400");
    EXPECT_FALSE(entry(user_dn("bulk.f2")));
}

TEST_F(Bulk, AReferenceToAFailedOperationIs409) {
    const auto res = results(bulk(R"([
        {"method": "POST", "path": "/Users", "bulkId": "bad", "data": {"userName": "bulk.bad", "title": 1}},
        {"method": "POST", "path": "/Groups", "bulkId": "gbad",
         "data": {"displayName": "bulk-bad-team", "members": [{"value": "bulkId:bad"}]}}
    ])"));

    EXPECT_EQ(statuses(res), (std::vector<std::string>{"400", "409"}));
    EXPECT_NE(json::serialize(res[1].at("response")).find("bulkId:bad"), std::string::npos);
    EXPECT_FALSE(entry("cn=bulk-bad-team,ou=Groups,dc=example,dc=org"));
}

TEST_F(Bulk, VersionActsAsIfMatch) {
    const std::string id = create_user("bulk.versioned");
    std::string ops = R"([{"method": "PUT", "path": "/Users/)";
    ops.append(id).append(R"(", "version": "W/\"20000101000000.000000Z#000000#000#000000\"",
        "data": {"userName": "bulk.versioned", "title": "Lost"}}])");

    const auto res = results(bulk(ops));

    EXPECT_EQ(statuses(res), std::vector<std::string>{"412"});
    EXPECT_TRUE(attribute_values(*entry(user_dn("bulk.versioned")), "title").empty());
}

TEST_F(Bulk, MoreOperationsThanMaxOperationsIs413) {
    std::string ops = "[";
    for (int i = 0; i < 6; ++i) {
        ops.append(i == 0 ? "" : ",")
            .append(R"({"method": "POST", "path": "/Users", "bulkId": "x)")
            .append(std::to_string(i))
            .append(R"(", "data": {"userName": "bulk.many)")
            .append(std::to_string(i))
            .append(R"("}})");
    }
    ops.append("]");

    const http_reply r = bulk(ops);

    EXPECT_EQ(r.status, 413u) << r.body;
    EXPECT_EQ(r.json().at("detail"), "The number of operations exceeds the maxOperations (5).");
    EXPECT_FALSE(entry(user_dn("bulk.many0")));
}

TEST_F(Bulk, ALargerPayloadThanMaxPayloadSizeIs413) {
    std::string ops = R"([{"method": "POST", "path": "/Users", "bulkId": "big",
        "data": {"userName": "bulk.big", "title": ")";
    ops.append(5000, 'x').append(R"("}}])");

    const http_reply r = bulk(ops);

    EXPECT_EQ(r.status, 413u) << r.body;
    EXPECT_EQ(r.json().at("detail"),
              "The size of the bulk operation exceeds the maxPayloadSize (4096).");
    EXPECT_FALSE(entry(user_dn("bulk.big")));
}

TEST_F(Bulk, AnotherTenantsIdsAreNotFoundInsideABulk) {
    const std::string id = create_user("bulk.other.tenant");
    std::string ops = R"([{"method": "DELETE", "path": "/Users/)";
    ops.append(id).append(R"("}])");

    const auto res = results(bulk(ops, "", bridge_fixture::classlark_token));

    EXPECT_EQ(statuses(res), std::vector<std::string>{"404"});
    EXPECT_TRUE(entry(user_dn("bulk.other.tenant")));
}

TEST_F(Bulk, AMalformedRequestIs400NamingTheOperation) {
    const http_reply r = bulk(R"([{"method": "GET", "path": "/Users"}])");
    EXPECT_EQ(r.status, 400u);
    EXPECT_NE(r.json().at("detail").as_string().find("Operations[0].method"), std::string::npos)
        << r.body;
}

}  // namespace
}  // namespace scimldap::testing
