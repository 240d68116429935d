// The LDAP searches a list request makes (bridge/scim/search_plan.hpp): one plan, sent by the
// server and printed by `explain --search`.
#include "bridge/scim/search_plan.hpp"

#include "base/ascii_case.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace scimldap::scim {
namespace {

using mapping::projection;

const mapping::resource_profile& users() {
    static const auto p = *mapping::load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                                  "mapping/profiles/openldap-inetorgperson.json")
                                                     .string());
    return p->user;
}

list_query query_with(std::string_view filter) {
    list_query q;
    q.filter = *mapping::parse_filter(filter);
    return q;
}

bool has(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(SearchPlan, AUserNameLookupIsOneEqualitySearchUnderTheObjectClass) {
    const auto plan =
        plan_search(users(), query_with(R"(userName eq "bjensen")"), projection(), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=bjensen))");
    EXPECT_FALSE(plan->recheck);
    EXPECT_EQ(plan->sort_attribute, "uid");
    EXPECT_EQ(plan->first_attributes, plan->page_attributes);
    for (const char* a : {"entryUUID", "entryCSN", "uid", "mail", "memberOf", "modifyTimestamp"}) {
        EXPECT_TRUE(has(plan->first_attributes, a)) << a;
    }
    EXPECT_FALSE(has(plan->first_attributes, "objectClass"));
    EXPECT_FALSE(has(plan->first_attributes, "userPassword"));  // writeOnly is never read
    EXPECT_EQ(plan->key_attributes, (std::vector<std::string>{"entryUUID", "uid"}));
}

TEST(SearchPlan, WithoutAFilterTheObjectClassFilterSelects) {
    const auto plan = plan_search(users(), list_query{}, projection(), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->filter.str(), "(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))");
}

TEST(SearchPlan, CountZeroReadsOnlyTheId) {
    list_query q = query_with(R"(userName sw "b")");
    q.count = 0;
    const auto plan = plan_search(users(), q, projection(), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->first_attributes, std::vector<std::string>{"entryUUID"});
}

TEST(SearchPlan, AttributesNarrowWhatIsReadButNeverTheIdOrTheSortKey) {
    list_query q = query_with(R"(userName eq "bjensen")");
    q.sort_by = users().find(mapping::attr_path{"", "displayName", ""});
    q.attributes = "emails";
    const auto plan =
        plan_search(users(), q, projection::parse(users(), q.attributes, ""), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->sort_attribute, "displayName");
    EXPECT_TRUE(has(plan->first_attributes, "mail"));
    EXPECT_TRUE(has(plan->first_attributes, "entryUUID"));
    EXPECT_TRUE(has(plan->first_attributes, "displayName"));
    EXPECT_FALSE(has(plan->first_attributes, "givenName"));
    EXPECT_EQ(plan->key_attributes, (std::vector<std::string>{"entryUUID", "displayName"}));
}

TEST(SearchPlan, AFilterLdapAnswersLooselyIsRecheckedWithTheAttributesItNames) {
    list_query q = query_with(R"(title gt "m")");
    q.count = 0;
    const auto plan = plan_search(users(), q, projection(), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_TRUE(plan->recheck);
    EXPECT_TRUE(has(plan->first_attributes, "title"));
    EXPECT_TRUE(has(plan->key_attributes, "title"));
}

TEST(SearchPlan, ExcludedAttributesAreNotRead) {
    list_query q = query_with(R"(userName eq "bjensen")");
    q.excluded_attributes = "emails,phoneNumbers";
    const auto plan =
        plan_search(users(), q, projection::parse(users(), "", q.excluded_attributes), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_FALSE(has(plan->first_attributes, "mail"));
    EXPECT_FALSE(has(plan->first_attributes, "telephoneNumber"));
    EXPECT_TRUE(has(plan->first_attributes, "uid"));
}

TEST(SearchPlan, TheSortKeyIsReadOnce) {
    list_query q;
    q.sort_by = users().find(mapping::attr_path{"", "userName", ""});
    const auto plan = plan_search(users(), q, projection(), nullptr);
    ASSERT_TRUE(plan);
    EXPECT_EQ(std::count_if(plan->first_attributes.begin(), plan->first_attributes.end(),
                            [](const std::string& a) { return ascii::iequals(a, "uid"); }),
              1);
}

TEST(SearchPlan, AReferenceFilterUsesTheLookedUpDn) {
    const mapping::reference_dns dns{
        {"b0b0b0b0-2222-4a4a-9c9c-0123456789ab", ldap::dn("uid=boss,ou=People,dc=example,dc=org")}};
    const auto plan = plan_search(
        users(), query_with(R"(manager.value eq "b0b0b0b0-2222-4a4a-9c9c-0123456789ab")"),
        projection(), &dns);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(manager=uid=boss,ou=People,"
              "dc=example,dc=org))");
}

TEST(SearchPlan, AReferenceFilterWithoutLookedUpDnsIsRefused) {
    const auto plan =
        plan_search(users(), query_with(R"(manager.value eq "b0b0")"), projection(), nullptr);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, errc::invalid_filter);
}

TEST(SearchPlan, AnUnmappedAttributeIsAnInvalidFilter) {
    const auto plan = plan_search(users(), query_with(R"(nosuch eq "x")"), projection(), nullptr);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, errc::invalid_filter);
    EXPECT_NE(plan.error().detail.find("nosuch"), std::string::npos);
}

}  // namespace
}  // namespace scimldap::scim
