// GET /Users?filter=... and POST /Users/.search on a real directory of 600 users (more than
// slapd's 500-entry limit for the service account): every operator, and/or/not, value paths,
// extension attributes, re-checked caseExact attributes, paging, sorting and projection.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/bridge_suite.hpp"
#include "tests/support/ldap_admin.hpp"
#include "tests/support/percent_encoding.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr int user_count = 600;
constexpr int classlark_count = 30;
const std::string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const std::string planner = "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User";

// The data set: every attribute is a function of the user number, so each expected result
// set below is computed from the same rule the directory was loaded with.
std::string uid(int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "q%03d", i);
    return buf;
}
std::string title(int i) {
    static const char* titles[] = {"Engineer", "Manager", "Analyst"};
    return titles[i % 3];
}
std::string department(int i) {
    return "D" + std::to_string(i % 5);
}
std::string employee_number(int i) {
    return std::to_string(1000 + i);  // 4 digits: string order is numeric order
}
bool has_given_name(int i) {
    return i % 7 != 0;
}
bool locked(int i) {
    return i % 10 == 0;
}
std::string mail(int i) {
    return uid(i) + (i % 2 == 0 ? "@x.org" : "@y.org");
}
std::string user_type(int i) {
    return i % 4 == 0 ? "Staff" : "staff";  // employeeType is caseIgnore in LDAP
}
std::string external_id(int i) {
    return (i % 6 == 0 ? "EXT-" : "ext-") + std::to_string(i);
}
// One user carries every character RFC 4515 escapes in its title.
constexpr int special = 7;
const std::string special_title = "R&D (*) \\ lead";

std::string user_ldif(int i) {
    std::string out = "dn: uid=" + uid(i) + ",ou=People,dc=example,dc=org\n";
    out += "objectClass: inetOrgPerson\nobjectClass: scimBridgeObject\n";
    out += "uid: " + uid(i) + "\ncn: Query User " + std::to_string(i) + "\nsn: User\n";
    if (has_given_name(i)) {
        out += "givenName: Given" + std::to_string(i) + "\n";
    }
    out += "displayName: Query User " + std::to_string(i) + "\n";
    out += "title: " + (i == special ? special_title : title(i)) + "\n";
    out += "departmentNumber: " + department(i) + "\n";
    out += "employeeNumber: " + employee_number(i) + "\n";
    out += "mail: " + mail(i) + "\n";
    out += "employeeType: " + user_type(i) + "\n";
    out += "scimExternalId: " + external_id(i) + "\n";
    if (locked(i)) {
        out += "pwdAccountLockedTime: 000001010000Z\n";
    }
    return out + "\n";
}

std::string classlark_uid(int i) {
    return "c" + std::to_string(i) + "@school.org";
}
std::string subject(int i) {
    return i % 2 == 0 ? "Math" : "Art";
}

std::string classlark_ldif(int i) {
    std::string out = "dn: uid=" + classlark_uid(i) + ",ou=People,ou=classlark,dc=example,dc=org\n";
    out += "objectClass: inetOrgPerson\nobjectClass: scimBridgeObject\n";
    out += "uid: " + classlark_uid(i) + "\ncn: Pupil " + std::to_string(i) + "\nsn: Pupil\n";
    out += "employeeType: Staff\nscimSubjects: " + subject(i) + "\n";
    if (i % 3 == 0) {
        out += "scimSubjects: Music\n";
    }
    out += "roomNumber: R" + std::to_string(i % 3) + "\n";
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

std::vector<std::string> user_names(const json::value& list) {
    std::vector<std::string> out;
    for (const auto& r : list.at("Resources").as_array()) {
        out.emplace_back(r.at("userName").as_string());
    }
    return out;
}

class QueryFilters : public bridge_suite<QueryFilters> {
public:
    static void seed(const slapd_launcher& slapd) {
        ldap_admin admin(slapd);
        std::string ldif;
        for (int i = 0; i < user_count; ++i) {
            ldif += user_ldif(i);
        }
        for (int i = 0; i < classlark_count; ++i) {
            ldif += classlark_ldif(i);
        }
        admin.apply_ldif(ldif);
    }

protected:
    static http_reply get(const std::string& query,
                          const std::string& token = bridge_fixture::default_token) {
        return bridge_->request(bhttp::verb::get, "/scim/v2/Users?" + query, token);
    }
    /// The userNames a filter selects (one page large enough for everything).
    static std::set<std::string> matching(
        const std::string& filter, const std::string& token = bridge_fixture::default_token) {
        const auto r =
            get("count=1000&attributes=userName&filter=" + percent_encode(filter), token);
        EXPECT_EQ(r.status, 200u) << filter << ": " << r.body;
        if (r.status != 200) {
            return {};
        }
        const auto body = r.json();
        const auto names = user_names(body);
        EXPECT_EQ(body.at("totalResults").to_number<std::size_t>(), names.size()) << filter;
        return {names.begin(), names.end()};
    }
    /// The SCIM error a filter is refused with.
    static json::value refused(const std::string& filter) {
        const auto r = get("filter=" + percent_encode(filter));
        EXPECT_EQ(r.status, 400u) << filter << ": " << r.body;
        return r.status == 400 ? r.json() : json::value();
    }
    static std::string id_of(const std::string& user_name) {
        const auto r = get("filter=" + percent_encode("userName eq \"" + user_name + "\""));
        return std::string(r.json().at("Resources").at(0).at("id").as_string());
    }
};

// --- each operator ------------------------------------------------------------------------

TEST_F(QueryFilters, EqOnUserNameIgnoresCase) {
    EXPECT_EQ(matching(R"(userName eq "q042")"), std::set<std::string>{"q042"});
    EXPECT_EQ(matching(R"(userName eq "Q042")"), std::set<std::string>{"q042"});
}

TEST_F(QueryFilters, NeSelectsEveryOtherValue) {
    EXPECT_EQ(matching(R"(title ne "Engineer")"),
              users_where([](int i) { return i == special || i % 3 != 0; }));
}

TEST_F(QueryFilters, NeMatchesUsersWithoutTheAttribute) {
    EXPECT_EQ(matching(R"(name.givenName ne "Given1")"), users_where([](int i) { return i != 1; }));
}

TEST_F(QueryFilters, CoOnEmailValue) {
    EXPECT_EQ(matching(R"(emails.value co "@x.o")"), users_where([](int i) { return i % 2 == 0; }));
}

TEST_F(QueryFilters, SwAndEwOnUserName) {
    EXPECT_EQ(matching(R"(userName sw "q05")"),
              users_where([](int i) { return i >= 50 && i <= 59; }));
    EXPECT_EQ(matching(R"(userName ew "9")"), users_where([](int i) { return i % 10 == 9; }));
}

TEST_F(QueryFilters, PrOnSimpleAndComplexAttributes) {
    EXPECT_EQ(matching("name.givenName pr"), users_where(has_given_name));
    EXPECT_EQ(matching("name pr"), users_where([](int) { return true; }));
    EXPECT_EQ(matching("emails pr"), users_where([](int) { return true; }));
    EXPECT_EQ(matching("phoneNumbers pr"), std::set<std::string>{});
}

TEST_F(QueryFilters, OrderingOnStringsWithoutAnLdapOrderingRule) {
    // employeeNumber and uid have no ORDERING rule in slapd's schema: the bridge re-checks.
    const std::string number = enterprise + ":employeeNumber";
    EXPECT_EQ(matching(number + R"( gt "1590")"), users_where([](int i) { return i > 590; }));
    EXPECT_EQ(matching(number + R"( ge "1590")"), users_where([](int i) { return i >= 590; }));
    EXPECT_EQ(matching(number + R"( lt "1010")"), users_where([](int i) { return i < 10; }));
    EXPECT_EQ(matching(number + R"( le "1010")"), users_where([](int i) { return i <= 10; }));
    EXPECT_EQ(matching(R"(userName gt "q590")"), users_where([](int i) { return i > 590; }));
    EXPECT_EQ(matching(R"(not (userName le "q010"))"), users_where([](int i) { return i > 10; }));
}

// --- and / or / not -----------------------------------------------------------------------

TEST_F(QueryFilters, AndBindsTighterThanOr) {
    EXPECT_EQ(matching(R"(title eq "Engineer" or title eq "Manager" and department eq "D1")"),
              users_where([](int i) {
                  return (i != special && i % 3 == 0) || (i % 3 == 1 && i % 5 == 1);
              }));
    EXPECT_EQ(matching(R"((title eq "Engineer" or title eq "Manager") and department eq "D1")"),
              users_where(
                  [](int i) { return i != special && (i % 3 == 0 || i % 3 == 1) && i % 5 == 1; }));
}

TEST_F(QueryFilters, NotNegatesTheGroup) {
    EXPECT_EQ(matching(R"(not (title eq "Engineer") and department eq "D0")"),
              users_where([](int i) { return (i == special || i % 3 != 0) && i % 5 == 0; }));
}

// --- value paths ---------------------------------------------------------------------------

TEST_F(QueryFilters, ValuePathWithAnd) {
    EXPECT_EQ(matching(R"(emails[type eq "work" and value co "@x"])"),
              users_where([](int i) { return i % 2 == 0; }));
}

TEST_F(QueryFilters, ValuePathWithOr) {
    EXPECT_EQ(matching(R"(emails[type eq "home" or value ew "9@y.org"])"),
              users_where([](int i) { return i % 10 == 9; }));
    EXPECT_EQ(matching(R"(emails[type eq "work" or value co "nothing"])"),
              users_where([](int) { return true; }));
}

TEST_F(QueryFilters, NotOfAValuePath) {
    EXPECT_EQ(matching(R"(not (emails[value co "@x"]))"),
              users_where([](int i) { return i % 2 == 1; }));
}

TEST_F(QueryFilters, ValuePathOnAnUnmappedElementMatchesNothing) {
    EXPECT_EQ(matching(R"(emails[type eq "home"])"), std::set<std::string>{});
}

// --- schema extensions -----------------------------------------------------------------------

TEST_F(QueryFilters, EnterpriseAttributeWithAndWithoutUrn) {
    const auto expected = users_where([](int i) { return i % 5 == 3; });
    EXPECT_EQ(matching(enterprise + R"(:department eq "D3")"), expected);
    EXPECT_EQ(matching(R"(department eq "D3")"), expected);
}

TEST_F(QueryFilters, ClasslarkExtensionAttributeWithAndWithoutUrn) {
    std::set<std::string> math;
    std::set<std::string> music;
    for (int i = 0; i < classlark_count; ++i) {
        if (subject(i) == "Math") {
            math.insert(classlark_uid(i));
        }
        if (i % 3 == 0) {
            music.insert(classlark_uid(i));
        }
    }
    EXPECT_EQ(matching(planner + R"(:subjects eq "math")", bridge_fixture::classlark_token), math);
    EXPECT_EQ(matching(R"(subjects eq "Music")", bridge_fixture::classlark_token), music);
    EXPECT_EQ(matching(R"(room eq "R1" and subjects eq "Music")", bridge_fixture::classlark_token),
              std::set<std::string>{});
}

// --- id, meta, active ----------------------------------------------------------------------

TEST_F(QueryFilters, IdEqFindsTheUser) {
    const auto id = id_of("q123");
    EXPECT_EQ(matching("id eq \"" + id + "\""), std::set<std::string>{"q123"});
}

TEST_F(QueryFilters, MalformedIdMatchesNothing) {
    EXPECT_EQ(matching(R"(id eq "not-a-uuid")"), std::set<std::string>{});
    EXPECT_EQ(matching(R"(id eq "x)(uid=*")"), std::set<std::string>{});
}

TEST_F(QueryFilters, LastModifiedComparesInstants) {
    // The expected sets come from the directory's own modifyTimestamp values.
    ldap_admin admin(*slapd_);
    std::vector<std::pair<std::string, std::string>> stamps;  // GeneralizedTime, uid
    for (const auto& e :
         admin.search("ou=People,dc=example,dc=org", "(uid=q*)", {"uid", "modifyTimestamp"})) {
        stamps.emplace_back(e.first("modifyTimestamp").value_or(""), e.first("uid").value_or(""));
    }
    ASSERT_EQ(stamps.size(), static_cast<std::size_t>(user_count));
    std::sort(stamps.begin(), stamps.end());
    const std::string pivot = stamps[stamps.size() / 2].first;  // 20240131235959Z
    const std::string xsd = pivot.substr(0, 4) + "-" + pivot.substr(4, 2) + "-" +
                            pivot.substr(6, 2) + "T" + pivot.substr(8, 2) + ":" +
                            pivot.substr(10, 2) + ":" + pivot.substr(12, 2) + "Z";
    std::set<std::string> later;
    std::set<std::string> not_earlier;
    for (const auto& [stamp, name] : stamps) {
        if (stamp > pivot) {
            later.insert(name);
        }
        if (stamp >= pivot) {
            not_earlier.insert(name);
        }
    }
    EXPECT_EQ(matching("meta.lastModified gt \"" + xsd + "\""), later);
    EXPECT_EQ(matching("meta.lastModified ge \"" + xsd + "\""), not_earlier);
    EXPECT_EQ(matching(R"(meta.lastModified lt "2001-01-01T00:00:00Z")"), std::set<std::string>{});
    EXPECT_EQ(matching(R"(meta.created gt "2001-01-01T01:00:00+01:00")"),
              users_where([](int) { return true; }));
}

TEST_F(QueryFilters, ActiveEqFalseIsTheLockedAccounts) {
    EXPECT_EQ(matching("active eq false"), users_where(locked));
    EXPECT_EQ(matching("active eq true and department eq \"D1\""),
              users_where([](int i) { return !locked(i) && i % 5 == 1; }));
}

// --- caseExact attributes are re-checked in the bridge ------------------------------------

TEST_F(QueryFilters, CaseExactUserTypeIsExactDespiteCaseIgnoreLdapMatching) {
    EXPECT_EQ(matching(R"(userType eq "Staff")"), users_where([](int i) { return i % 4 == 0; }));
    EXPECT_EQ(matching(R"(userType ne "Staff")"), users_where([](int i) { return i % 4 != 0; }));
    EXPECT_EQ(matching(R"(userType eq "Staff" and userName sw "q00")"),
              (std::set<std::string>{"q000", "q004", "q008"}));
}

TEST_F(QueryFilters, ExternalIdIsCaseExact) {
    EXPECT_EQ(matching(R"(externalId eq "EXT-6")"), std::set<std::string>{"q006"});
    EXPECT_EQ(matching(R"(externalId eq "ext-6")"), std::set<std::string>{});
    EXPECT_EQ(matching(R"(externalId eq "ext-7")"), std::set<std::string>{"q007"});
}

TEST_F(QueryFilters, EverySpecialCharacterIsEscaped) {
    const std::string quoted = json::serialize(json::string(special_title));  // "R&D (*) \\ ..."
    EXPECT_EQ(matching("title eq " + quoted), std::set<std::string>{uid(special)});
    EXPECT_EQ(matching(R"x(title co "(*)")x"), std::set<std::string>{uid(special)});
    EXPECT_EQ(matching(R"(title co "\\")"), std::set<std::string>{uid(special)});
    EXPECT_EQ(matching(R"(title eq "*")"), std::set<std::string>{});
}

// --- refused filters ----------------------------------------------------------------------

TEST_F(QueryFilters, SubstringOnANonStringIsInvalidFilterNamingIt) {
    auto e = refused(R"(meta.lastModified sw "2024")");
    EXPECT_EQ(e.at("scimType"), "invalidFilter");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("meta.lastModified"), std::string::npos)
        << e;
    e = refused(R"(id co "a")");
    EXPECT_EQ(e.at("scimType"), "invalidFilter");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("'co'"), std::string::npos) << e;
}

TEST_F(QueryFilters, PasswordCannotBeFiltered) {
    const auto e = refused(R"(password eq "secret")");
    EXPECT_EQ(e.at("scimType"), "invalidFilter");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("password"), std::string::npos) << e;
}

TEST_F(QueryFilters, NumberComparedWithAStringAttributeIsRefused) {
    const auto e = refused("title eq 5");
    EXPECT_EQ(e.at("scimType"), "invalidFilter");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("title"), std::string::npos) << e;
}

TEST_F(QueryFilters, UnmappedAttributeIsRefusedNamingIt) {
    auto e = refused(R"(nickname2 eq "x")");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("nickname2"), std::string::npos) << e;
    e = refused(R"(emails[display eq "x"])");
    EXPECT_NE(std::string(e.at("detail").as_string()).find("emails.display"), std::string::npos)
        << e;
}

// --- paging, sorting, projection ----------------------------------------------------------

TEST_F(QueryFilters, UnfilteredListCountsPastTheServerSizeLimit) {
    const auto r = get("count=10");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), user_count);
    EXPECT_EQ(r.json().at("itemsPerPage"), 10);
}

TEST_F(QueryFilters, PagesOfFiftyWalkEveryUserOnceInOrder) {
    std::vector<std::string> seen;
    for (int start = 1; start <= user_count; start += 50) {
        const auto r =
            get("sortBy=userName&count=50&attributes=userName&startIndex=" + std::to_string(start));
        ASSERT_EQ(r.status, 200u) << r.body;
        EXPECT_EQ(r.json().at("totalResults"), user_count);
        EXPECT_EQ(r.json().at("startIndex"), start);
        const auto names = user_names(r.json());
        EXPECT_EQ(names.size(), 50u);
        seen.insert(seen.end(), names.begin(), names.end());
    }
    std::vector<std::string> expected;
    for (int i = 0; i < user_count; ++i) {
        expected.push_back(uid(i));
    }
    EXPECT_EQ(seen, expected);
}

TEST_F(QueryFilters, PagesWithoutSortByHaveNoDuplicateAndNoGap) {
    std::set<std::string> seen;
    for (int start = 1; start <= user_count; start += 50) {
        const auto r = get("count=50&attributes=userName&startIndex=" + std::to_string(start));
        ASSERT_EQ(r.status, 200u) << r.body;
        for (const auto& n : user_names(r.json())) {
            EXPECT_TRUE(seen.insert(n).second) << "duplicate " << n;
        }
    }
    EXPECT_EQ(seen, users_where([](int) { return true; }));
}

TEST_F(QueryFilters, SortDescending) {
    const auto r = get("sortBy=userName&sortOrder=descending&count=1000&attributes=userName");
    ASSERT_EQ(r.status, 200u) << r.body;
    std::vector<std::string> expected;
    for (int i = user_count - 1; i >= 0; --i) {
        expected.push_back(uid(i));
    }
    EXPECT_EQ(user_names(r.json()), expected);
}

TEST_F(QueryFilters, SortByTitleAscendingOnASmallResult) {
    const auto r = get("sortBy=title&count=20&attributes=userName,title&filter=" +
                       percent_encode(R"(userName sw "q00")"));
    ASSERT_EQ(r.status, 200u) << r.body;
    std::vector<std::string> titles;
    const auto body = r.json();
    for (const auto& u : body.at("Resources").as_array()) {
        titles.emplace_back(u.at("title").as_string());
    }
    ASSERT_EQ(titles.size(), 10u);
    EXPECT_TRUE(std::is_sorted(titles.begin(), titles.end())) << r.body;
    EXPECT_EQ(titles.front(), "Analyst");
    EXPECT_EQ(titles.back(), special_title);  // "R&D ..." sorts after "Manager"
}

TEST_F(QueryFilters, CountZeroGivesOnlyTheTotal) {
    const auto r = get("count=0");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), user_count);
    EXPECT_EQ(r.json().at("itemsPerPage"), 0);
    EXPECT_TRUE(r.json().at("Resources").as_array().empty());
    const auto small = get("count=0&filter=" + percent_encode(R"(userName sw "q05")"));
    EXPECT_EQ(small.json().at("totalResults"), 10);
    EXPECT_TRUE(small.json().at("Resources").as_array().empty());
}

TEST_F(QueryFilters, StartIndexBeyondTheEndIsAnEmptyPage) {
    auto r = get("count=50&startIndex=601");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("totalResults"), user_count);
    EXPECT_TRUE(r.json().at("Resources").as_array().empty());
    r = get("sortBy=userName&count=50&startIndex=591&attributes=userName");
    EXPECT_EQ(user_names(r.json()).size(), 10u);
    EXPECT_EQ(user_names(r.json()).front(), "q590");
}

TEST_F(QueryFilters, AttributesAndExcludedAttributes) {
    auto r = get("attributes=userName&filter=" + percent_encode(R"(userName eq "q001")"));
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto first = r.json();
    const auto& only = first.at("Resources").at(0).as_object();
    EXPECT_TRUE(only.contains("id"));
    EXPECT_TRUE(only.contains("userName"));
    EXPECT_FALSE(only.contains("title"));
    EXPECT_FALSE(only.contains("emails"));
    r = get("excludedAttributes=emails&filter=" + percent_encode(R"(userName eq "q001")"));
    const auto second = r.json();
    const auto& most = second.at("Resources").at(0).as_object();
    EXPECT_FALSE(most.contains("emails"));
    EXPECT_EQ(most.at("title"), "Manager");
}

// --- POST /Users/.search ------------------------------------------------------------------

TEST_F(QueryFilters, SearchRequestEqualsTheSameGet) {
    const auto got = get("filter=" + percent_encode(R"(department eq "D2" and active eq true)") +
                         "&sortBy=userName&sortOrder=descending&startIndex=11&count=25"
                         "&attributes=userName,title");
    ASSERT_EQ(got.status, 200u) << got.body;
    const auto posted =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users/.search", bridge_fixture::default_token,
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter":"department eq \"D2\" and active eq true","sortBy":"userName",
            "sortOrder":"descending","startIndex":11,"count":25,
            "attributes":["userName","title"]})");
    ASSERT_EQ(posted.status, 200u) << posted.body;
    EXPECT_EQ(posted.json(), got.json());
    EXPECT_EQ(posted.json().at("itemsPerPage"), 25);
}

TEST_F(QueryFilters, SearchRequestWithExcludedAttributes) {
    const auto posted =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users/.search", bridge_fixture::default_token,
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter":"userName eq \"q002\"","excludedAttributes":["emails","title"]})");
    ASSERT_EQ(posted.status, 200u) << posted.body;
    const auto body = posted.json();
    const auto& u = body.at("Resources").at(0).as_object();
    EXPECT_EQ(u.at("userName"), "q002");
    EXPECT_FALSE(u.contains("emails"));
    EXPECT_FALSE(u.contains("title"));
}

TEST_F(QueryFilters, SearchRequestWithoutItsSchemaIsInvalidSyntax) {
    const auto r =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users/.search", bridge_fixture::default_token,
                         R"({"filter":"userName eq \"q002\""})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidSyntax");
}

TEST_F(QueryFilters, SearchRequestWithABadFilterIsInvalidFilter) {
    const auto r =
        bridge_->request(bhttp::verb::post, "/scim/v2/Users/.search", bridge_fixture::default_token,
                         R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter":"userName zz \"q002\""})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.json().at("scimType"), "invalidFilter");
}

}  // namespace
}  // namespace scimldap::testing
