// The audit log (issue 15) on a real slapd: every kind of write gives exactly one JSON line
// naming who, what and the LDAP operations with their attributes; a refused write gets its
// line too; passwords never appear; the daemon reopens the file on SIGUSR1; a file that cannot
// be written costs the line, not the write.
#include "bridge/auth/token_hash.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_process.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* user_schema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* people = ",ou=People,dc=example,dc=org";
constexpr const char* classlark_people = ",ou=People,ou=classlark,dc=example,dc=org";
constexpr const char* metrics_token = "audit-metrics-test-token";

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

/// Into the test's output, so tests/log_scan.sh searches the audit lines with the other logs.
void print_file(const std::string& path) {
    std::ifstream in(path);
    std::cerr << "--- " << path << " ---\n" << in.rdbuf() << "--- end of " << path << " ---\n";
}

std::string patch_body(const std::string& operations) {
    std::string body = R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], )";
    body.append(R"("Operations": )").append(operations).append("}");
    return body;
}

/// The operation of `line` at `index`, and the change of it naming `attribute`.
const json::object* change_of(const json::object& line, std::size_t index,
                              std::string_view attribute) {
    const auto& ops = line.at("operations").as_array();
    if (index >= ops.size() || !ops[index].as_object().contains("changes")) {
        return nullptr;
    }
    for (const auto& c : ops[index].at("changes").as_array()) {
        if (c.at("attribute").as_string() == attribute) {
            return &c.as_object();
        }
    }
    return nullptr;
}

/// The default tenant archives deleted users; classlark deletes them. Audit lines go to a file.
class AuditLog : public bridge_suite<AuditLog> {
public:
    static bridge_options options(const slapd_launcher& slapd) {
        bridge_options o;
        o.default_profile =
            write_profile_copy(slapd.dir(), "openldap-archive", [](json::value& profile) {
                profile.at("resources").at("User").at("delete") = json::object{{"mode", "archive"}};
            });
        o.default_archive_base = "ou=Archive,dc=example,dc=org";
        o.edit_config = [file = audit_file(slapd)](json::object& config) {
            config["logging"] = json::object{{"audit", {{"file", file}}}};
        };
        return o;
    }

    static void TearDownTestSuite() {
        print_file(audit_file(*slapd_));
        bridge_suite<AuditLog>::TearDownTestSuite();
    }

protected:
    static std::string audit_file(const slapd_launcher& slapd) {
        return slapd.dir() + "/audit.log";
    }

    void SetUp() override { seen_ = lines_of(audit_file(*slapd_)).size(); }

    /// The lines written since the last call (or since the test began).
    std::vector<json::object> new_lines() {
        const auto all = lines_of(audit_file(*slapd_));
        std::vector<json::object> out;
        for (std::size_t i = seen_; i < all.size(); ++i) {
            out.push_back(json::parse(all[i]).as_object());
        }
        seen_ = all.size();
        return out;
    }
    /// The one line written since the last call; a test failure when there is not exactly one.
    json::object one_new_line() {
        auto lines = new_lines();
        EXPECT_EQ(lines.size(), 1u);
        return lines.empty() ? json::object{} : lines.back();
    }

    static http_reply send(bhttp::verb method, const std::string& path, const std::string& body,
                           const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(method, "/scim/v2" + path, token, body);
    }
    static std::string created_id(const http_reply& r) {
        return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
    }
    static std::string create_user(const std::string& user_name, const std::string& more = "") {
        std::string body = R"({"schemas": [")";
        body.append(user_schema).append(R"("], "userName": ")").append(user_name).append("\"");
        body.append(more).append("}");
        return created_id(send(bhttp::verb::post, "/Users", body));
    }
    static std::optional<ldap::entry> entry(const std::string& dn) {
        ldap_admin admin(*slapd_);
        return admin.read(dn);
    }

    std::size_t seen_ = 0;
};

TEST_F(AuditLog, ACreateIsOneLineWithTheAddAndItsValues) {
    const http_reply r =
        send(bhttp::verb::post, "/Users", R"({"userName": "audit.create", "title": "Auditor"})");
    ASSERT_EQ(r.status, 201u) << r.body;

    const auto line = one_new_line();
    EXPECT_EQ(line.at("request_id").as_string(), r.header("X-Request-Id"));
    EXPECT_EQ(line.at("tenant"), "default");
    EXPECT_EQ(line.at("token"), "default-idp");
    EXPECT_EQ(line.at("client"), "127.0.0.1");
    EXPECT_EQ(line.at("method"), "POST");
    EXPECT_EQ(line.at("endpoint"), "/Users");
    EXPECT_EQ(line.at("status"), 201);
    EXPECT_EQ(line.at("resource_type"), "User");
    EXPECT_EQ(line.at("id"), r.json().at("id"));
    EXPECT_EQ(line.at("dn").as_string(), std::string("uid=audit.create") + people);
    EXPECT_EQ(line.at("operations").as_array().at(0).at("op"), "add");
    EXPECT_EQ(line.at("operations").as_array().at(0).at("ldap_result"), "success");
    const auto* title = change_of(line, 0, "title");
    ASSERT_NE(title, nullptr) << json::serialize(line);
    EXPECT_EQ(title->at("action"), "add");
    EXPECT_EQ(title->at("values"), (json::array{"Auditor"}));
    EXPECT_TRUE(line.at("time").as_string().ends_with("Z"));

    const auto e = entry(std::string("uid=audit.create") + people);
    ASSERT_TRUE(e);
    EXPECT_EQ(attribute_values(*e, "title"), std::vector<std::string>{"Auditor"});
}

TEST_F(AuditLog, AReplaceIsOneLineWithTheModifiedAttribute) {
    const std::string id = create_user("audit.replace", R"(, "title": "Before")");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(
        send(bhttp::verb::put, "/Users/" + id, R"({"userName": "audit.replace", "title": "After"})")
            .status,
        200u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("method"), "PUT");
    EXPECT_EQ(line.at("endpoint"), "/Users/{id}");
    EXPECT_EQ(line.at("id").as_string(), id);
    EXPECT_EQ(line.at("dn").as_string(), std::string("uid=audit.replace") + people);
    EXPECT_FALSE(line.contains("new_dn"));
    EXPECT_EQ(line.at("operations").as_array().at(0).at("op"), "modify");
    const auto* title = change_of(line, 0, "title");
    ASSERT_NE(title, nullptr) << json::serialize(line);
    EXPECT_EQ(title->at("action"), "replace");
    EXPECT_EQ(title->at("values"), (json::array{"After"}));
    EXPECT_EQ(attribute_values(*entry(std::string("uid=audit.replace") + people), "title"),
              std::vector<std::string>{"After"});
}

TEST_F(AuditLog, APatchIsOneLine) {
    const std::string id = create_user("audit.patch");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::patch, "/Users/" + id,
                   patch_body(R"([{"op": "add", "path": "displayName", "value": "Pat Ch"}])"))
                  .status,
              200u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("method"), "PATCH");
    EXPECT_EQ(line.at("status"), 200);
    const auto* shown = change_of(line, 0, "displayName");
    ASSERT_NE(shown, nullptr) << json::serialize(line);
    EXPECT_EQ(shown->at("values"), (json::array{"Pat Ch"}));
    EXPECT_EQ(attribute_values(*entry(std::string("uid=audit.patch") + people), "displayName"),
              std::vector<std::string>{"Pat Ch"});
}

TEST_F(AuditLog, ARenameNamesTheOldAndTheNewDn) {
    const std::string id = create_user("audit.rename.old");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::put, "/Users/" + id, R"({"userName": "audit.rename.new"})").status,
              200u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("dn").as_string(), std::string("uid=audit.rename.old") + people);
    EXPECT_EQ(line.at("new_dn").as_string(), std::string("uid=audit.rename.new") + people);
    const auto& rename = line.at("operations").as_array().at(0).as_object();
    EXPECT_EQ(rename.at("op"), "rename");
    EXPECT_EQ(rename.at("new_dn").as_string(), std::string("uid=audit.rename.new") + people);
    EXPECT_FALSE(entry(std::string("uid=audit.rename.old") + people));
    EXPECT_TRUE(entry(std::string("uid=audit.rename.new") + people));
}

TEST_F(AuditLog, ADeactivationRecordsTheLock) {
    const std::string id = create_user("audit.deactivate");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::patch, "/Users/" + id,
                   patch_body(R"([{"op": "replace", "path": "active", "value": false}])"))
                  .status,
              200u);

    const auto line = one_new_line();
    const auto* lock = change_of(line, 0, "pwdAccountLockedTime");
    ASSERT_NE(lock, nullptr) << json::serialize(line);
    EXPECT_EQ(lock->at("values"), (json::array{"000001010000Z"}));
    const auto* mark = change_of(line, 0, "pwdEndTime");
    ASSERT_NE(mark, nullptr) << json::serialize(line);
    EXPECT_EQ(mark->at("values"), (json::array{"20000101000000Z"}));
    EXPECT_EQ(attribute_values(*entry(std::string("uid=audit.deactivate") + people),
                               "pwdAccountLockedTime"),
              std::vector<std::string>{"000001010000Z"});
}

TEST_F(AuditLog, ADeleteRecordsTheDelete) {
    const http_reply created =
        send(bhttp::verb::post, "/Users",
             R"({"userName": "audit.delete@classlark.test", "userType": "Staff"})",
             bridge_fixture::classlark_token);
    const std::string id = created_id(created);
    ASSERT_FALSE(id.empty()) << created.body;
    new_lines();

    ASSERT_EQ(
        send(bhttp::verb::delete_, "/Users/" + id, "", bridge_fixture::classlark_token).status,
        204u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("tenant"), "classlark");
    EXPECT_EQ(line.at("token"), "classlark-idp");
    EXPECT_EQ(line.at("method"), "DELETE");
    EXPECT_EQ(line.at("status"), 204);
    const std::string dn = std::string("uid=audit.delete@classlark.test") + classlark_people;
    EXPECT_EQ(line.at("dn").as_string(), dn);
    // The user was the Staff role's only member: it leaves the group first (the placeholder
    // takes its place after the refused delete of the last value), then the entry goes.
    const auto& ops = line.at("operations").as_array();
    ASSERT_EQ(ops.size(), 3u) << json::serialize(line);
    const std::string staff = "cn=Staff,ou=Roles,ou=classlark,dc=example,dc=org";
    EXPECT_EQ(ops[0].at("op"), "modify");
    EXPECT_EQ(ops[0].at("dn").as_string(), staff);
    EXPECT_EQ(ops[0].at("ldap_result"), "objectClassViolation");
    EXPECT_EQ(ops[1].at("dn").as_string(), staff);
    EXPECT_EQ(ops[1].at("ldap_result"), "success");
    EXPECT_EQ(ops[2].at("op"), "delete");
    EXPECT_EQ(ops[2].at("dn").as_string(), dn);
    EXPECT_EQ(line.at("ldap_result"), "success");  // the request succeeded
    EXPECT_FALSE(entry(dn));
}

TEST_F(AuditLog, AnArchiveNamesWhereTheEntryWent) {
    const std::string id = create_user("audit.archive");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::delete_, "/Users/" + id, "").status, 204u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("dn").as_string(), std::string("uid=audit.archive") + people);
    EXPECT_EQ(line.at("new_dn"), "uid=audit.archive,ou=Archive,dc=example,dc=org");
    EXPECT_TRUE(entry("uid=audit.archive,ou=Archive,dc=example,dc=org"));
    EXPECT_FALSE(entry(std::string("uid=audit.archive") + people));
}

TEST_F(AuditLog, MemberAddAndRemoveAreOneLineEachWithTheMemberDn) {
    const std::string user = create_user("audit.member");
    const http_reply group = send(bhttp::verb::post, "/Groups", R"({"displayName": "audit-team"})");
    const std::string group_id = created_id(group);
    ASSERT_FALSE(user.empty());
    ASSERT_FALSE(group_id.empty()) << group.body;
    new_lines();
    const std::string group_dn = "cn=audit-team,ou=Groups,dc=example,dc=org";
    const std::string member_dn = std::string("uid=audit.member") + people;

    std::string add = R"([{"op": "add", "path": "members", "value": [{"value": ")";
    add.append(user).append(R"("}]}])");
    ASSERT_EQ(send(bhttp::verb::patch, "/Groups/" + group_id, patch_body(add)).status, 204u);
    const auto added = one_new_line();
    EXPECT_EQ(added.at("resource_type"), "Group");
    EXPECT_EQ(added.at("dn").as_string(), group_dn);
    bool member_added = false;
    for (const auto& c : added.at("operations").as_array().at(0).at("changes").as_array()) {
        member_added = member_added || (c.at("action") == "add" &&
                                        c.at("values") == json::array{json::string(member_dn)});
    }
    EXPECT_TRUE(member_added) << json::serialize(added);
    EXPECT_EQ(attribute_values(*entry(group_dn), "member"), std::vector<std::string>{member_dn});

    std::string remove = R"([{"op": "remove", "path": "members[value eq \")";
    remove.append(user).append(R"(\"]"}])");
    ASSERT_EQ(send(bhttp::verb::patch, "/Groups/" + group_id, patch_body(remove)).status, 204u);
    const auto removed = one_new_line();
    bool member_removed = false;
    for (const auto& c : removed.at("operations").as_array().at(0).at("changes").as_array()) {
        member_removed = member_removed || (c.at("action") == "delete" &&
                                            c.at("values") == json::array{json::string(member_dn)});
    }
    EXPECT_TRUE(member_removed) << json::serialize(removed);
    const auto members = attribute_values(*entry(group_dn), "member");
    EXPECT_EQ(std::count(members.begin(), members.end(), member_dn), 0);
}

TEST_F(AuditLog, APasswordIsNamedButNeverWritten) {
    const std::string id = create_user("audit.password");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::patch, "/Users/" + id,
                   patch_body(R"([{"op": "replace", "path": "password", "value": "Audit-Pw-9"}])"))
                  .status,
              200u);

    const auto line = one_new_line();
    const auto& ops = line.at("operations").as_array();
    const auto password = std::find_if(ops.begin(), ops.end(), [](const json::value& op) {
        return op.at("op") == "passwordModify";
    });
    ASSERT_NE(password, ops.end()) << json::serialize(line);
    EXPECT_EQ(password->at("changes").as_array().at(0).at("values"), "withheld");
    std::ifstream in(audit_file(*slapd_));
    const std::string whole((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(whole.find("Audit-Pw-9"), std::string::npos);
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.can_bind(std::string("uid=audit.password") + people, "Audit-Pw-9"));
}

TEST_F(AuditLog, AWriteTheDirectoryRefusesIsOneLineWithItsResult) {
    ASSERT_FALSE(create_user("audit.twice").empty());
    new_lines();

    const http_reply again = send(bhttp::verb::post, "/Users", R"({"userName": "audit.twice"})");
    ASSERT_EQ(again.status, 409u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("status"), 409);
    EXPECT_EQ(line.at("ldap_result"), "entryAlreadyExists");
    EXPECT_EQ(line.at("operations").as_array().at(0).at("ldap_code"), 68);
}

TEST_F(AuditLog, AWriteRefusedBeforeTheDirectoryIsOneLineWithoutOperations) {
    const http_reply bad =
        send(bhttp::verb::post, "/Users", R"({"userName": "audit.bad", "title": 5})");
    ASSERT_EQ(bad.status, 400u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("status"), 400);
    EXPECT_EQ(line.at("id"), nullptr);
    EXPECT_TRUE(line.at("operations").as_array().empty());
    EXPECT_FALSE(entry(std::string("uid=audit.bad") + people));
}

TEST_F(AuditLog, AGroupsCreateRenameAndDeleteAreOneLineEach) {
    const http_reply created =
        send(bhttp::verb::post, "/Groups", R"({"displayName": "audit-group-old"})");
    const std::string id = created_id(created);
    ASSERT_FALSE(id.empty()) << created.body;
    const auto create = one_new_line();
    EXPECT_EQ(create.at("resource_type"), "Group");
    EXPECT_EQ(create.at("endpoint"), "/Groups");
    EXPECT_EQ(create.at("id").as_string(), id);
    EXPECT_EQ(create.at("dn"), "cn=audit-group-old,ou=Groups,dc=example,dc=org");
    EXPECT_EQ(create.at("operations").as_array().at(0).at("op"), "add");

    ASSERT_EQ(
        send(bhttp::verb::put, "/Groups/" + id, R"({"displayName": "audit-group-new"})").status,
        200u);
    const auto rename = one_new_line();
    EXPECT_EQ(rename.at("dn"), "cn=audit-group-old,ou=Groups,dc=example,dc=org");
    EXPECT_EQ(rename.at("new_dn"), "cn=audit-group-new,ou=Groups,dc=example,dc=org");
    EXPECT_TRUE(entry("cn=audit-group-new,ou=Groups,dc=example,dc=org"));

    ASSERT_EQ(send(bhttp::verb::delete_, "/Groups/" + id, "").status, 204u);
    const auto removed = one_new_line();
    EXPECT_EQ(removed.at("dn"), "cn=audit-group-new,ou=Groups,dc=example,dc=org");
    EXPECT_EQ(removed.at("operations").as_array().back().at("op"), "delete");
    EXPECT_FALSE(entry("cn=audit-group-new,ou=Groups,dc=example,dc=org"));
}

TEST_F(AuditLog, APasswordInACreateIsWithheld) {
    const std::string id = create_user("audit.create.pw", R"(, "password": "Audit-Create-Pw-3")");
    ASSERT_FALSE(id.empty());

    const auto line = one_new_line();
    const std::string text = json::serialize(line);
    EXPECT_EQ(text.find("Audit-Create-Pw-3"), std::string::npos) << text;
    EXPECT_NE(text.find(R"({"attribute":"userPassword","action")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("values":"withheld")"), std::string::npos) << text;
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.can_bind(std::string("uid=audit.create.pw") + people, "Audit-Create-Pw-3"));
}

TEST_F(AuditLog, AWriteToAnUnknownIdIsOneLineWithThatId) {
    const std::string unknown = "0b9c6d2e-1111-2222-3333-444455556666";
    ASSERT_EQ(send(bhttp::verb::put, "/Users/" + unknown, R"({"userName": "audit.nobody"})").status,
              404u);

    const auto line = one_new_line();
    EXPECT_EQ(line.at("status"), 404);
    EXPECT_EQ(line.at("id").as_string(), unknown);
    EXPECT_EQ(line.at("dn"), nullptr);
    EXPECT_TRUE(line.at("operations").as_array().empty());
}

TEST_F(AuditLog, AWriteWithAStaleIfMatchIsOneLineWithoutOperations) {
    const std::string id = create_user("audit.stale", R"(, "title": "Kept")");
    ASSERT_FALSE(id.empty());
    new_lines();

    const http_reply r =
        http_request(bridge_->port(), bhttp::verb::put, "/scim/v2/Users/" + id,
                     {{"Authorization", std::string("Bearer ") + bridge_fixture::default_token},
                      {"Content-Type", "application/scim+json"},
                      {"If-Match", R"(W/"20000101000000.000000Z#000000#000#000000")"}},
                     R"({"userName": "audit.stale", "title": "Lost"})");
    ASSERT_EQ(r.status, 412u) << r.body;

    const auto line = one_new_line();
    EXPECT_EQ(line.at("status"), 412);
    EXPECT_EQ(line.at("dn").as_string(), std::string("uid=audit.stale") + people);
    EXPECT_TRUE(line.at("operations").as_array().empty());
    EXPECT_EQ(attribute_values(*entry(std::string("uid=audit.stale") + people), "title"),
              std::vector<std::string>{"Kept"});
}

TEST_F(AuditLog, EachOperationOfABulkRequestIsALineOfItsOwn) {
    const http_reply r = send(bhttp::verb::post, "/Bulk", R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        "Operations": [
          {"method": "POST", "path": "/Users", "bulkId": "b1", "data": {"userName": "audit.bulk"}},
          {"method": "POST", "path": "/Groups", "bulkId": "b2",
           "data": {"displayName": "audit-bulk-team", "members": [{"value": "bulkId:b1"}]}}]})");
    ASSERT_EQ(r.status, 200u) << r.body;

    const auto lines = new_lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].at("request_id").as_string(), r.header("X-Request-Id"));
    EXPECT_EQ(lines[1].at("request_id").as_string(), r.header("X-Request-Id"));
    EXPECT_EQ(lines[0].at("method"), "POST");
    EXPECT_EQ(lines[0].at("endpoint"), "/Users");
    EXPECT_EQ(lines[0].at("status"), 201);
    EXPECT_EQ(lines[0].at("bulk_id"), "b1");
    EXPECT_EQ(lines[0].at("bulk_index"), 0);
    EXPECT_EQ(lines[0].at("dn").as_string(), std::string("uid=audit.bulk") + people);
    EXPECT_EQ(lines[1].at("endpoint"), "/Groups");
    EXPECT_EQ(lines[1].at("resource_type"), "Group");
    EXPECT_EQ(lines[1].at("bulk_index"), 1);
    EXPECT_TRUE(entry("cn=audit-bulk-team,ou=Groups,dc=example,dc=org"));
}

TEST_F(AuditLog, ReadsAndSearchesWriteNoLine) {
    const std::string id = create_user("audit.read");
    ASSERT_FALSE(id.empty());
    new_lines();

    ASSERT_EQ(send(bhttp::verb::get, "/Users/" + id, "").status, 200u);
    std::string search = R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)";
    search.append(R"( "filter": "userName eq \"x\""})");
    ASSERT_EQ(send(bhttp::verb::post, "/Users/.search", search).status, 200u);
    EXPECT_TRUE(new_lines().empty());
}

// ---------------------------------------------------------------------------------------------
/// The daemon itself: SIGUSR1 and a file that cannot be written.
class AuditLogDaemon : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    std::unique_ptr<bridge_process> start_bridge(const std::string& audit_file) const {
        json::value config =
            json::parse(bridge_config_json(slapd_->uri(), slapd_->service_password_file(), {}));
        if (!audit_file.empty()) {
            config.as_object()["logging"] = json::object{{"audit", {{"file", audit_file}}}};
        }
        config.as_object()["metrics"] =
            json::object{{"token_sha256", auth::hash_token(metrics_token)}};
        auto bridge = std::make_unique<bridge_process>(SCIMLDAP_BRIDGE_BINARY, dir_.path());
        bridge->write_config(json::serialize(config));
        bridge->start();
        return bridge;
    }
    static unsigned create(const bridge_process& bridge, const std::string& user_name) {
        std::string body = R"({"userName": ")";
        body.append(user_name).append("\"}");
        return bridge
            .request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token, body)
            .status;
    }

    void TearDown() override {
        for (const auto& f : std::filesystem::directory_iterator(dir_.path())) {
            if (f.path().filename().string().starts_with("audit.log")) {
                print_file(f.path().string());
            }
        }
    }

    static inline std::unique_ptr<slapd_launcher> slapd_;
    scratch_dir dir_{"scimldap-audit"};
};

TEST_F(AuditLogDaemon, Sigusr1ReopensTheFileLogrotateMovedAway) {
    const std::string file = (dir_ / "audit.log").string();
    const auto bridge = start_bridge(file);
    ASSERT_EQ(create(*bridge, "audit.rotate.1"), 201u);
    std::filesystem::rename(file, file + ".1");

    ASSERT_EQ(::kill(bridge->pid(), SIGUSR1), 0);
    ASSERT_TRUE(bridge->log_shows("reopened"));
    ASSERT_EQ(create(*bridge, "audit.rotate.2"), 201u);

    const auto rotated = lines_of(file + ".1");
    const auto fresh = lines_of(file);
    ASSERT_EQ(rotated.size(), 1u);
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_NE(rotated[0].find("audit.rotate.1"), std::string::npos);
    EXPECT_NE(fresh[0].find("audit.rotate.2"), std::string::npos);
}

TEST_F(AuditLogDaemon, AReloadReopensTheFileToo) {
    const std::string file = (dir_ / "audit.log").string();
    const auto bridge = start_bridge(file);
    std::filesystem::rename(file, file + ".1");

    bridge->reload();
    ASSERT_TRUE(bridge->log_shows("reopened"));
    ASSERT_TRUE(bridge->log_shows("configuration applied"));
    ASSERT_EQ(create(*bridge, "audit.reload"), 201u);

    EXPECT_EQ(lines_of(file).size(), 1u);
    EXPECT_TRUE(lines_of(file + ".1").empty());
}

TEST_F(AuditLogDaemon, WithoutAFileLinesGoToTheLogUnderTheirOwnName) {
    const auto bridge = start_bridge("");
    ASSERT_EQ(create(*bridge, "audit.stderr"), 201u);

    EXPECT_TRUE(bridge->log_shows(R"([audit] {"time":")"));
    EXPECT_TRUE(bridge->log_shows(R"("resource_type":"User")"));
}

TEST_F(AuditLogDaemon, AFileThatCannotBeWrittenCostsTheLineNotTheWrite) {
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    const auto bridge = start_bridge("/dev/full");
    ASSERT_EQ(create(*bridge, "audit.full.disk"), 201u);

    EXPECT_TRUE(bridge->log_shows("audit log /dev/full: cannot write"));
    ldap_admin admin(*slapd_);
    EXPECT_TRUE(admin.read(std::string("uid=audit.full.disk") + people));
    const http_reply scrape = bridge->request(bhttp::verb::get, "/metrics", metrics_token);
    ASSERT_EQ(scrape.status, 200u);
    EXPECT_NE(scrape.body.find("scimldap_audit_lines_total{result=\"failed\"} 1\n"),
              std::string::npos)
        << scrape.body;
}

}  // namespace
}  // namespace scimldap::testing
