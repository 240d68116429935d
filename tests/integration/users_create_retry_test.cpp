// POST /Users across failures and the IdP's retry (issue 13, "Retries are safe"): a create is one
// add where slapd allows it; a create that needs more (role groups) marks its add as pending,
// and a retry that finds the bridge's own pending entry completes it instead of answering 409.
// slapd is frozen with SIGSTOP to make steps fail the way a stalled directory does.
#include "base/escape.hpp"
#include "bridge/http/access_log.hpp"
#include "bridge/scim/test_hooks.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/frozen_process.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr const char* people = "ou=People,dc=example,dc=org";
constexpr const char* roles = "ou=Roles,dc=example,dc=org";

/// Whether a DN-valued attribute (member, memberOf) holds dn, compared as DNs.
bool holds_dn(const std::vector<std::string>& values, const std::string& dn) {
    const std::string wanted = ldap::normalize_dn(ldap::dn(dn));
    return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
        return ldap::normalize_dn(ldap::dn(v)) == wanted;
    });
}

/// One slapd and one bridge whose LDAP operations time out after 1 s (a frozen directory then
/// answers 503 quickly); the access log is captured to count a request's LDAP operations.
class UsersCreateRetry : public ::testing::Test {
protected:
    static void SetUpTestSuite() { start_services({}); }
    /// The bridge's default tenant uses `profile` (a .json file) when not empty.
    static void start_services(const std::string& profile) {
        // A ring buffer sink: the test reads whole lines under the sink's own lock while the
        // bridge writes them.
        log_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1024);
        auto capture = std::make_shared<spdlog::logger>("create-retry-capture", log_);
        capture->set_level(spdlog::level::info);
        http::configure_access_log(capture, false);
        slapd_ = new slapd_launcher();
        slapd_->start();
        bridge_options options;
        options.ldap["operation_timeout"] = "1000ms";
        options.default_profile = profile;
        bridge_ = new bridge_fixture(*slapd_, options);
        bridge_->start();
    }
    static void TearDownTestSuite() {
        delete bridge_;
        bridge_ = nullptr;
        delete slapd_;
        slapd_ = nullptr;
        http::configure_access_log(nullptr, false);
        log_.reset();
    }
    void TearDown() override {
        scim::test_hooks::after_create_add = nullptr;
        scim::test_hooks::after_user_write = nullptr;
    }

    static http_reply post(const std::string& body) {
        return bridge_->request(bhttp::verb::post, "/scim/v2/Users", bridge_fixture::default_token,
                                body);
    }
    static http_reply find(const std::string& user_name) {
        return bridge_->request(bhttp::verb::get,
                                "/scim/v2/Users?filter=userName%20eq%20%22" + user_name + "%22",
                                bridge_fixture::default_token);
    }
    static std::optional<ldap::entry> entry(const std::string& dn) {
        ldap_admin admin(*slapd_);
        return admin.read(dn, {"*", "+"});
    }
    static std::vector<std::string> values(const std::string& dn, std::string_view attribute) {
        const auto e = entry(dn);
        return e ? attribute_values(*e, attribute) : std::vector<std::string>{};
    }
    static bool can_bind(const std::string& dn, const std::string& password) {
        const ldap_admin admin(*slapd_);
        return admin.can_bind(dn, password);
    }
    /// The access log's lines so far (one per answered request).
    static std::vector<std::string> access_lines() {
        std::vector<std::string> lines;
        for (auto& line : log_->last_formatted()) {
            if (line.find(" access ") != std::string::npos) {
                lines.push_back(std::move(line));
            }
        }
        return lines;
    }

    /// What a finished create with userType "Engineer" and this password must have left.
    static void expect_complete(const std::string& dn, const std::string& password) {
        const std::string role = std::string("cn=Engineer,") + roles;
        EXPECT_EQ(values(dn, "employeeType"), std::vector<std::string>{"Engineer"});
        EXPECT_TRUE(holds_dn(values(role, "member"), dn)) << "not a member of " << role;
        EXPECT_TRUE(holds_dn(values(dn, "memberOf"), role)) << "no memberOf " << role;
        EXPECT_TRUE(values(dn, "scimCreatePending").empty()) << "still marked unfinished";
        EXPECT_TRUE(values(dn, "pwdAccountLockedTime").empty()) << "still locked";
        EXPECT_TRUE(can_bind(dn, password));
    }

    static inline std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log_;
    static inline slapd_launcher* slapd_ = nullptr;
    static inline bridge_fixture* bridge_ = nullptr;
};

TEST_F(UsersCreateRetry, CreateAnswered503WhileTheDirectoryWasFrozenIsCompletedByTheRetry) {
    const std::string dn = std::string("uid=retry.frozen,") + people;
    const std::string body = R"({"userName": "retry.frozen", "password": "Frozen-1-pass",
                                 "userType": "Engineer", "active": true})";
    frozen_directory frozen(slapd_->pid());
    const http_reply first = post(body);
    frozen.resume();
    EXPECT_EQ(first.status, 503u) << first.body;
    EXPECT_FALSE(first.header("Retry-After").empty());
    // slapd ran the add it had queued once it resumed: the state the IdP's retry meets.
    ASSERT_TRUE(eventually([&] { return entry(dn).has_value(); }, std::chrono::seconds(10)));

    const http_reply retry = post(body);
    ASSERT_EQ(retry.status, 201u) << retry.body;
    const json::value created = retry.json();
    EXPECT_EQ(created.at("userName").as_string(), "retry.frozen");
    EXPECT_EQ(created.at("userType").as_string(), "Engineer");
    EXPECT_EQ(created.at("active").as_bool(), true);
    EXPECT_FALSE(created.at("id").as_string().empty());
    expect_complete(dn, "Frozen-1-pass");
}

TEST_F(UsersCreateRetry, CreateWhoseRoleStepFailedLeavesAHiddenLockedEntryTheRetryCompletes) {
    const std::string dn = std::string("uid=retry.rolestep,") + people;
    const std::string body = R"({"userName": "retry.rolestep", "password": "Role-1-pass",
                                 "userType": "Engineer"})";
    const pid_t pid = slapd_->pid();
    // Frozen right after the add: the role group write and the last write time out.
    scim::test_hooks::after_create_add = [pid](std::string_view) { stop_directory(pid); };
    const http_reply first = post(body);
    scim::test_hooks::after_create_add = nullptr;
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    EXPECT_EQ(first.status, 503u) << first.body;
    EXPECT_FALSE(first.header("Retry-After").empty());

    // The one add carried the password (hashed by slapd), the lock and the pending mark.
    ASSERT_TRUE(entry(dn).has_value());
    EXPECT_EQ(values(dn, "scimCreatePending"), std::vector<std::string>{"TRUE"});
    EXPECT_EQ(values(dn, "pwdAccountLockedTime"), std::vector<std::string>{"000001010000Z"});
    const auto hash = values(dn, "userPassword");
    ASSERT_EQ(hash.size(), 1u);
    EXPECT_EQ(hash.front().rfind("{SSHA}", 0), 0u) << hash.front();
    EXPECT_FALSE(can_bind(dn, "Role-1-pass"));  // unfinished: locked
    // Not a SCIM resource yet: the IdP's lookup finds nothing, so it retries the POST.
    const http_reply lookup = find("retry.rolestep");
    ASSERT_EQ(lookup.status, 200u) << lookup.body;
    EXPECT_EQ(lookup.json().at("totalResults").as_int64(), 0);
    const auto uuid = values(dn, "entryUUID");
    ASSERT_EQ(uuid.size(), 1u);
    EXPECT_EQ(bridge_
                  ->request(bhttp::verb::get, "/scim/v2/Users/" + uuid.front(),
                            bridge_fixture::default_token)
                  .status,
              404u);

    const http_reply retry = post(body);
    ASSERT_EQ(retry.status, 201u) << retry.body;
    EXPECT_EQ(retry.json().at("id").as_string(), uuid.front());  // the first attempt's entry
    expect_complete(dn, "Role-1-pass");
    const http_reply found = find("retry.rolestep");
    EXPECT_EQ(found.json().at("totalResults").as_int64(), 1);
}

TEST_F(UsersCreateRetry, RetryWithAnotherBodyCompletesThePendingEntryAsThatBodySays) {
    const std::string dn = std::string("uid=retry.changed,") + people;
    const pid_t pid = slapd_->pid();
    scim::test_hooks::after_create_add = [pid](std::string_view) { stop_directory(pid); };
    const http_reply first = post(R"({"userName": "retry.changed", "password": "Old-1-pass",
                                      "userType": "Tester", "title": "Intern"})");
    scim::test_hooks::after_create_add = nullptr;
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    ASSERT_EQ(first.status, 503u) << first.body;

    const http_reply retry = post(R"({"userName": "retry.changed", "password": "New-2-pass",
                                      "userType": "Engineer"})");
    ASSERT_EQ(retry.status, 201u) << retry.body;
    EXPECT_FALSE(retry.json().as_object().contains("title"));
    expect_complete(dn, "New-2-pass");
    EXPECT_FALSE(can_bind(dn, "Old-1-pass"));
    EXPECT_TRUE(values(dn, "title").empty());
    EXPECT_FALSE(holds_dn(values(std::string("cn=Tester,") + roles, "member"), dn));
}

TEST_F(UsersCreateRetry, InactiveUserWithAPasswordIsOneLockedAddWithTheHashedPassword) {
    const std::string dn = std::string("uid=retry.inactive,") + people;
    const http_reply r =
        post(R"({"userName": "retry.inactive", "password": "Inactive-1-pass", "active": false})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("active").as_bool(), false);
    // The add, the indexed searches for leftovers naming the new DN (member under the groups
    // and roles bases, manager under the users base; this tenant has no archive base), then the
    // read-back (the new entry's id, then the resource): no other write.
    // The access line is written once the answer is out, hence the wait.
    const std::string id = "access id=" + r.header("X-Request-Id") + " ";
    std::string line;
    ASSERT_TRUE(eventually([&] {
        for (const auto& l : access_lines()) {
            if (l.find(id) != std::string::npos) {
                line = l;
            }
        }
        return !line.empty();
    })) << id;
    EXPECT_NE(line.find("POST /scim/v2/Users status=201"), std::string::npos) << line;
    EXPECT_NE(line.find("ldap_ops=6"), std::string::npos) << line;

    EXPECT_EQ(values(dn, "pwdAccountLockedTime"), std::vector<std::string>{"000001010000Z"});
    const auto hash = values(dn, "userPassword");
    ASSERT_EQ(hash.size(), 1u);
    EXPECT_EQ(hash.front().rfind("{SSHA}", 0), 0u) << hash.front();
    EXPECT_TRUE(values(dn, "scimCreatePending").empty());
    EXPECT_FALSE(can_bind(dn, "Inactive-1-pass"));
}

TEST_F(UsersCreateRetry, InactiveUserWithARoleStaysLockedWhenTheCreateFinishes) {
    const std::string dn = std::string("uid=retry.inactiverole,") + people;
    const http_reply r = post(R"({"userName": "retry.inactiverole", "password": "Inrole-1-pass",
                                  "userType": "Engineer", "active": false})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("active").as_bool(), false);
    EXPECT_EQ(values(dn, "pwdAccountLockedTime"), std::vector<std::string>{"000001010000Z"});
    EXPECT_TRUE(values(dn, "scimCreatePending").empty());
    EXPECT_TRUE(holds_dn(values(std::string("cn=Engineer,") + roles, "member"), dn));
    EXPECT_FALSE(can_bind(dn, "Inrole-1-pass"));
}

TEST_F(UsersCreateRetry, ExistingFinishedUserIsStill409AndUnchanged) {
    const std::string dn = std::string("uid=retry.exists,") + people;
    const std::string body = R"({"userName": "retry.exists", "password": "Exists-1-pass",
                                 "userType": "Engineer", "title": "First"})";
    const http_reply created = post(body);
    ASSERT_EQ(created.status, 201u) << created.body;
    const auto csn = values(dn, "entryCSN");

    const http_reply again = post(R"({"userName": "retry.exists", "password": "Exists-2-pass",
                                      "userType": "Tester", "title": "Second"})");
    EXPECT_EQ(again.status, 409u) << again.body;
    EXPECT_EQ(std::string(again.json().at("scimType").as_string()), "uniqueness");
    EXPECT_EQ(values(dn, "entryCSN"), csn);
    EXPECT_EQ(values(dn, "title"), std::vector<std::string>{"First"});
    EXPECT_TRUE(can_bind(dn, "Exists-1-pass"));
    EXPECT_FALSE(holds_dn(values(std::string("cn=Tester,") + roles, "member"), dn));

    // An identical POST of a finished user is a duplicate too, not a retry to complete.
    EXPECT_EQ(post(body).status, 409u);
}

// ---------------------------------------------------------------------------------------------
/// PUT and PATCH write the entry first, then move its role groups: a retry after a failed move
/// (the stored userType is already the new one) must finish the move from the memberships.
class UsersWriteRetry : public UsersCreateRetry {
protected:
    /// A created user with userType "Engineer"; returns its id.
    static std::string create_engineer(const std::string& user_name) {
        const http_reply created =
            post(R"({"userName": ")" + user_name + R"(", "userType": "Engineer", "active": true})");
        EXPECT_EQ(created.status, 201u) << created.body;
        return std::string(created.json().at("id").as_string());
    }
    static http_reply send(bhttp::verb method, const std::string& id, const std::string& body) {
        return bridge_->request(method, "/scim/v2/Users/" + id, bridge_fixture::default_token,
                                body);
    }
    /// The role state after a finished move from Engineer to Tester.
    static void expect_moved_to_tester(const std::string& dn) {
        const std::string engineer = std::string("cn=Engineer,") + roles;
        const std::string tester = std::string("cn=Tester,") + roles;
        EXPECT_EQ(values(dn, "employeeType"), std::vector<std::string>{"Tester"});
        EXPECT_TRUE(holds_dn(values(tester, "member"), dn)) << "not a member of " << tester;
        EXPECT_TRUE(holds_dn(values(dn, "memberOf"), tester));
        EXPECT_FALSE(holds_dn(values(engineer, "member"), dn)) << "still in " << engineer;
        EXPECT_FALSE(holds_dn(values(dn, "memberOf"), engineer));
    }
};

TEST_F(UsersWriteRetry, PatchWhoseRoleMoveFailedIsFinishedByTheRetry) {
    const std::string dn = std::string("uid=retry.patchrole,") + people;
    const std::string id = create_engineer("retry.patchrole");
    const std::string patch = R"({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "userType", "value": "Tester"}]})";
    const pid_t pid = slapd_->pid();
    // Frozen after the entry's modify: leaving Engineer and joining Tester time out.
    scim::test_hooks::after_user_write = [pid](std::string_view) { stop_directory(pid); };
    const http_reply first = send(bhttp::verb::patch, id, patch);
    scim::test_hooks::after_user_write = nullptr;
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    EXPECT_EQ(first.status, 503u) << first.body;
    EXPECT_FALSE(first.header("Retry-After").empty());
    // The half-done state the IdP's retry meets: the new userType, the old role group.
    EXPECT_EQ(values(dn, "employeeType"), std::vector<std::string>{"Tester"});
    EXPECT_TRUE(holds_dn(values(std::string("cn=Engineer,") + roles, "member"), dn));

    const http_reply retry = send(bhttp::verb::patch, id, patch);
    ASSERT_EQ(retry.status, 200u) << retry.body;
    EXPECT_EQ(retry.json().at("userType").as_string(), "Tester");
    expect_moved_to_tester(dn);
}

TEST_F(UsersWriteRetry, PutWhoseRoleMoveFailedIsFinishedByTheRetry) {
    const std::string dn = std::string("uid=retry.putrole,") + people;
    const std::string id = create_engineer("retry.putrole");
    const std::string body = R"({"userName": "retry.putrole", "userType": "Tester",
                                 "active": true})";
    const pid_t pid = slapd_->pid();
    scim::test_hooks::after_user_write = [pid](std::string_view) { stop_directory(pid); };
    const http_reply first = send(bhttp::verb::put, id, body);
    scim::test_hooks::after_user_write = nullptr;
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    EXPECT_EQ(first.status, 503u) << first.body;

    const http_reply retry = send(bhttp::verb::put, id, body);
    ASSERT_EQ(retry.status, 200u) << retry.body;
    expect_moved_to_tester(dn);
}

TEST_F(UsersWriteRetry, PatchOfAnotherAttributeWritesNoRoleGroup) {
    const std::string dn = std::string("uid=retry.norole,") + people;
    const std::string id = create_engineer("retry.norole");
    const std::string engineer = std::string("cn=Engineer,") + roles;
    const auto role_csn = values(engineer, "entryCSN");
    const http_reply patched = send(bhttp::verb::patch, id, R"({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "title", "value": "Lead"}]})");
    ASSERT_EQ(patched.status, 200u) << patched.body;
    EXPECT_EQ(values(dn, "title"), std::vector<std::string>{"Lead"});
    EXPECT_EQ(values(engineer, "entryCSN"), role_csn);  // memberships already right: untouched
}

// ---------------------------------------------------------------------------------------------
/// The shipped profile with `password.on_create: passwordModify`, for a server that does not hash
/// cleartext: the password is a Password Modify after the add, and such a create is pending too.
class UsersCreatePasswordModify : public UsersCreateRetry {
protected:
    static void SetUpTestSuite() {
        const std::string dir = ::testing::TempDir();
        start_services(write_profile(dir));
    }

    static std::string write_profile(const std::string& dir) {
        return write_profile_copy(dir, "openldap-password-modify", [](json::value& profile) {
            profile.at("resources").at("User").at("password").at("on_create") = "passwordModify";
        });
    }
};

TEST_F(UsersCreatePasswordModify, PasswordAfterTheAddMakesTheCreatePendingUntilItsLastWrite) {
    const std::string dn = std::string("uid=pwmod.pending,") + people;
    const pid_t pid = slapd_->pid();
    // Frozen after the add: Password Modify times out, the entry stays marked and locked.
    scim::test_hooks::after_create_add = [pid](std::string_view) { stop_directory(pid); };
    const http_reply first = post(R"({"userName": "pwmod.pending", "password": "Pwmod-1-pass"})");
    scim::test_hooks::after_create_add = nullptr;
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    EXPECT_EQ(first.status, 503u) << first.body;
    EXPECT_EQ(values(dn, "scimCreatePending"), std::vector<std::string>{"TRUE"});
    EXPECT_EQ(find("pwmod.pending").json().at("totalResults").as_int64(), 0);

    const http_reply retry = post(
        R"({"userName": "pwmod.pending", "password": "Pwmod-1-pass", "userType": "Engineer"})");
    ASSERT_EQ(retry.status, 201u) << retry.body;
    expect_complete(dn, "Pwmod-1-pass");
}

TEST_F(UsersCreatePasswordModify, InactiveUserStaysLockedAfterPasswordModify) {
    const std::string dn = std::string("uid=pwmod.inactive,") + people;
    const http_reply r =
        post(R"({"userName": "pwmod.inactive", "password": "Pwmod-2-pass", "active": false})");
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("active").as_bool(), false);
    EXPECT_EQ(values(dn, "pwdAccountLockedTime"), std::vector<std::string>{"000001010000Z"});
    EXPECT_TRUE(values(dn, "scimCreatePending").empty());
    const auto hash = values(dn, "userPassword");
    ASSERT_EQ(hash.size(), 1u);
    EXPECT_EQ(hash.front().rfind("{SSHA}", 0), 0u) << hash.front();
    EXPECT_FALSE(can_bind(dn, "Pwmod-2-pass"));
}

}  // namespace
}  // namespace scimldap::testing
