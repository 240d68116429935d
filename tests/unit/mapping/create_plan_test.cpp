// What a POST /Users writes (mapping/create_plan): the one add, the pending mark when steps
// follow it, and the last write that clears the mark, through the shipped profiles.
#include "mapping/create_plan.hpp"
#include "base/ascii_case.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::mapping {
namespace {

using strings = std::vector<std::string>;

std::shared_ptr<const profile> shipped(const std::string& name) {
    auto r = load_profile(
        (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles" / (name + ".json"))
            .string());
    if (!r) {
        ADD_FAILURE() << r.error().front().to_string();
        return nullptr;
    }
    return *r;
}

const resource_profile& default_user() {
    static const auto p = shipped("openldap-inetorgperson");
    return p->user;
}

desired_entry desired(const std::string& body) {
    auto d = from_resource(default_user(), boost::json::parse(body));
    EXPECT_TRUE(d) << body;
    return d ? std::move(*d) : desired_entry{};
}

add_plan plan(const std::string& body) {
    return plan_add(default_user(), desired(body), ldap::dn("ou=People,dc=example,dc=org"));
}

strings values(const std::vector<ldap::attribute>& attributes, std::string_view name) {
    for (const auto& a : attributes) {
        if (ascii::iequals(a.name, name)) {
            return a.values;
        }
    }
    return {};
}

TEST(CreatePlan, PasswordAndLockTravelInTheOneAddOfAUserWithoutRoles) {
    const auto p = plan(R"({"userName": "ada", "password": "Secret-1", "active": false})");
    EXPECT_FALSE(p.pending);
    EXPECT_EQ(values(p.attributes, "pwdAccountLockedTime"), strings{"000001010000Z"});
    EXPECT_EQ(values(p.attributes, "pwdEndTime"), strings{"20000101000000Z"});
    EXPECT_TRUE(values(p.attributes, "scimCreatePending").empty());
    // The cleartext is kept out of the printable attributes (explain prints those).
    EXPECT_TRUE(values(p.attributes, "userPassword").empty());
    ASSERT_TRUE(p.password);
    EXPECT_EQ(p.password->name, "userPassword");
    EXPECT_EQ(p.password->values, strings{"Secret-1"});
    EXPECT_FALSE(create_needs_more_steps(default_user(), desired(R"({"userName": "ada"})")));
}

TEST(CreatePlan, ActiveUserWithoutRolesIsAnAddWithoutLock) {
    const auto p = plan(R"({"userName": "ada", "password": "Secret-1"})");
    EXPECT_FALSE(p.pending);
    EXPECT_TRUE(values(p.attributes, "pwdAccountLockedTime").empty());
    EXPECT_TRUE(values(p.attributes, "pwdEndTime").empty());
}

TEST(CreatePlan, UserTypeMakesTheAddPendingAndLockedUntilTheLastWrite) {
    const auto d = desired(R"({"userName": "ada", "password": "Secret-1", "userType": "Eng"})");
    EXPECT_TRUE(create_needs_more_steps(default_user(), d));
    const auto p = plan_add(default_user(), d, ldap::dn("ou=People,dc=example,dc=org"));
    EXPECT_TRUE(p.pending);
    EXPECT_EQ(values(p.attributes, "scimCreatePending"), strings{"TRUE"});
    EXPECT_EQ(values(p.attributes, "pwdAccountLockedTime"), strings{"000001010000Z"});
    EXPECT_EQ(values(p.attributes, "employeeType"), strings{"Eng"});
    ASSERT_TRUE(p.password);

    const auto finish = finish_create_changes(default_user(), d);
    ASSERT_EQ(finish.size(), 3u);
    EXPECT_EQ(finish[0].op, ldap::mod_op::remove);
    EXPECT_EQ(finish[0].attribute, "scimCreatePending");
    EXPECT_EQ(finish[0].values, strings{"TRUE"});
    // Active: the lock and its end-time mark go (replace with nothing: no error when Password
    // Modify already took the lock).
    EXPECT_EQ(finish[1].op, ldap::mod_op::replace);
    EXPECT_EQ(finish[1].attribute, "pwdAccountLockedTime");
    EXPECT_TRUE(finish[1].values.empty());
    EXPECT_EQ(finish[2].op, ldap::mod_op::replace);
    EXPECT_EQ(finish[2].attribute, "pwdEndTime");
    EXPECT_TRUE(finish[2].values.empty());
}

TEST(CreatePlan, InactiveUserWithRolesStaysLockedByTheLastWrite) {
    const auto d = desired(R"({"userName": "ada", "userType": "Eng", "active": false})");
    const auto finish = finish_create_changes(default_user(), d);
    ASSERT_EQ(finish.size(), 3u);
    EXPECT_EQ(finish[1].values, strings{"000001010000Z"});
    EXPECT_EQ(finish[2].attribute, "pwdEndTime");
    EXPECT_EQ(finish[2].values, strings{"20000101000000Z"});
}

TEST(CreatePlan, PendingMarkIsRecognisedOnlyWithItsValue) {
    ldap::entry e;
    EXPECT_FALSE(is_pending_create(default_user(), e));
    e.attributes.push_back({"scimCreatePending", {"TRUE"}});
    EXPECT_TRUE(is_pending_create(default_user(), e));
    e.attributes.back().values = {"FALSE"};
    EXPECT_FALSE(is_pending_create(default_user(), e));
}

}  // namespace
}  // namespace scimldap::mapping
