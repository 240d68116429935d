// SCIM filter → LDAP filter through the default profile (RFC 7644 §3.4.2.2, RFC 4515).
#include "mapping/filter_translate.hpp"
#include "mapping/filter_match.hpp"
#include "mapping/filter_parser.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace scimldap::mapping {
namespace {

const profile& default_profile() {
    static const auto p = *load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                                         "mapping/profiles/openldap-inetorgperson.json")
                                            .string());
    return *p;
}

const resource_profile& users() {
    return default_profile().user;
}

const resource_profile& groups() {
    return default_profile().group;
}

const resource_profile& classlark_users() {
    static const auto p = *load_profile(
        (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles/classlark.json").string());
    return p->user;
}

std::string ldap_of(std::string_view scim, const resource_profile& profile = users()) {
    auto parsed = parse_filter(scim);
    EXPECT_TRUE(parsed) << scim;
    auto f = translate_filter(profile, *parsed);
    if (!f) {
        const auto e = f.error();
        return "error: " + e.detail;
    }
    return f->str();
}

TEST(FilterTranslate, UserNameEqIsOneIndexedEquality) {
    EXPECT_EQ(ldap_of(R"(userName eq "bjensen")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=bjensen))");
}

TEST(FilterTranslate, ValuesAreEscapedPerRfc4515) {
    EXPECT_EQ(ldap_of(R"(userName eq "x)(uid=*")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=x\\29\\28uid=\\2a))");
}

TEST(FilterTranslate, OperatorsMapToLdapForms) {
    EXPECT_EQ(ldap_of(R"(title co "eng")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*eng*))");
    EXPECT_EQ(ldap_of(R"(title sw "eng")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=eng*))");
    EXPECT_EQ(ldap_of(R"(title ew "eng")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*eng))");
    EXPECT_EQ(ldap_of("title pr"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*))");
    EXPECT_EQ(ldap_of(R"(title ne "x")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(!(title=x)))");
}

TEST(FilterTranslate, StrictGreaterThanExcludesEquality) {
    EXPECT_EQ(ldap_of(R"(meta.lastModified gt "2024-01-31T23:59:59Z")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(modifyTimestamp>="
              "20240131235959Z)(!(modifyTimestamp="
              "20240131235959Z))))");
    EXPECT_EQ(ldap_of(R"(meta.created lt "2024-01-31T23:59:59+01:00")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(createTimestamp<="
              "20240131225959Z)(!(createTimestamp="
              "20240131225959Z))))");
}

TEST(FilterTranslate, AndOrNotCompose) {
    EXPECT_EQ(ldap_of(R"(userName eq "a" or not (title pr) and displayName eq "b")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(uid=a)(&(!(title=*))("
              "displayName=b))))");
}

TEST(FilterTranslate, EmailValueFilterUsesTheSelectedMapping) {
    EXPECT_EQ(ldap_of(R"(emails[type eq "work"].value eq "a@x.org")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=a@x.org))");
    EXPECT_EQ(ldap_of(R"(emails.value eq "a@x.org")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=a@x.org))");
}

TEST(FilterTranslate, ActiveUsesTheLockAttributeAndTheEndTimeMark) {
    EXPECT_EQ(ldap_of("active eq false"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))"
              "(|(pwdAccountLockedTime=*)(pwdEndTime=20000101000000Z)))");
    EXPECT_EQ(ldap_of("active eq true"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))"
              "(!(|(pwdAccountLockedTime=*)(pwdEndTime=20000101000000Z))))");
}

TEST(FilterTranslate, IdIsEntryUuid) {
    EXPECT_EQ(ldap_of(R"(id eq "0b6e3f8c-1111-4a4a-9c9c-0123456789ab")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(entryUUID=0b6e3f8c-1111-"
              "4a4a-9c9c-0123456789ab))");
}

TEST(FilterTranslate, EnterpriseAttributeByUrn) {
    EXPECT_EQ(
        ldap_of(
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7")"),
        "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(employeeNumber=7))");
}

TEST(FilterTranslate, UnmappedAttributeIsInvalidFilterNamingIt) {
    auto parsed = parse_filter(R"(nosuch eq "x")");
    auto f = translate_filter(users(), *parsed);
    ASSERT_FALSE(f);
    const auto e = f.error();
    EXPECT_EQ(e.code, scim::errc::invalid_filter);
    EXPECT_NE(e.detail.find("nosuch"), std::string::npos) << e.detail;
}

TEST(FilterTranslate, MetaLastModifiedComparesGeneralizedTime) {
    EXPECT_EQ(ldap_of(R"(meta.lastModified ge "2024-01-31T23:59:59Z")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(modifyTimestamp>="
              "20240131235959Z))");
}

translated_filter translated(std::string_view scim) {
    auto parsed = parse_filter(scim);
    EXPECT_TRUE(parsed) << scim;
    auto f = translate_query_filter(users(), *parsed);
    EXPECT_TRUE(f) << scim;
    return f ? *f : translated_filter{};
}

std::string error_of(std::string_view scim) {
    auto parsed = parse_filter(scim);
    EXPECT_TRUE(parsed) << scim;
    auto f = translate_filter(users(), *parsed);
    EXPECT_FALSE(f) << scim;
    if (f) {
        return "";
    }
    const auto e = f.error();
    EXPECT_EQ(e.code, scim::errc::invalid_filter) << scim;
    return e.detail;
}

TEST(FilterTranslate, EverySpecialCharacterIsEscaped) {
    // RFC 4515 §3: * ( ) \ NUL; everything else (also non-ASCII UTF-8) passes as is.
    EXPECT_EQ(ldap_of(R"(title eq "a*b(c)d\\e\u0000f")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title="
              "a\\2ab\\28c\\29d\\5ce\\00f))");
    EXPECT_EQ(ldap_of(R"(title co "*")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*\\2a*))");
    EXPECT_EQ(
        ldap_of("title sw \"\xc3\xa9t\xc3\xa9\""),
        "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=\xc3\xa9t\xc3\xa9*))");
}

TEST(FilterTranslate, PrecedenceNotThenAndThenOr) {
    EXPECT_EQ(ldap_of(R"(title eq "a" or title eq "b" and title eq "c")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(title=a)(&(title=b)("
              "title=c))))");
    EXPECT_EQ(ldap_of(R"((title eq "a" or title eq "b") and title eq "c")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(|(title=a)(title=b))("
              "title=c)))");
    EXPECT_EQ(ldap_of(R"(not (title eq "a") and title eq "c")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(!(title=a))(title=c)))");
    EXPECT_EQ(ldap_of(R"(title eq "a" and title eq "b" and title eq "c")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(&(title=a)(title=b))("
              "title=c)))");
}

TEST(FilterTranslate, StringOrderingIsWidenedAndRechecked) {
    // uid, mail, employeeNumber have no ORDERING rule: slapd would match nothing.
    auto t = translated(R"(userName gt "m")");
    EXPECT_EQ(t.filter.str(), "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=*))");
    EXPECT_TRUE(t.recheck);
    EXPECT_EQ(t.attributes, std::vector<std::string>{"uid"});
    t = translated(R"(not (userName le "m"))");
    EXPECT_EQ(t.filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(objectClass=*))");
    EXPECT_TRUE(t.recheck);
}

TEST(FilterTranslate, CaseExactAttributesAreRechecked) {
    auto t = translated(R"(externalId eq "Abc")");
    EXPECT_EQ(t.filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(scimExternalId=Abc))");
    EXPECT_TRUE(t.recheck);
    t = translated(R"(userType eq "Staff" and title eq "x")");
    EXPECT_EQ(t.filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(employeeType=Staff)("
              "title=x)))");
    EXPECT_TRUE(t.recheck);
    EXPECT_EQ(t.attributes, (std::vector<std::string>{"employeeType", "title"}));
    // ne on a caseExact attribute: LDAP's (!(a=v)) would drop "staff" for ne "Staff".
    t = translated(R"(userType ne "Staff")");
    EXPECT_EQ(t.filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(objectClass=*))");
    t = translated(R"(not (userType ne "Staff"))");
    EXPECT_EQ(t.filter.str(),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(employeeType=Staff))");
}

TEST(FilterTranslate, CaseIgnoreAttributesNeedNoRecheck) {
    const auto t = translated(R"(userName eq "bjensen" and title co "eng")");
    EXPECT_FALSE(t.recheck);
    EXPECT_TRUE(t.attributes.empty());
}

TEST(FilterTranslate, ValuePathWithOrInside) {
    EXPECT_EQ(ldap_of(R"(emails[type eq "work" or value co "@x"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*))");
    EXPECT_EQ(ldap_of(R"(emails[type eq "home" or value co "@x"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*@x*))");
    EXPECT_EQ(ldap_of(R"(phoneNumbers[type eq "mobile" or value sw "+1"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(telephoneNumber=+1*)("
              "mobile=*)(facsimileTelephoneNumber=+1*)))");
}

TEST(FilterTranslate, ValuePathSelectorPicksTheElement) {
    EXPECT_EQ(ldap_of(R"(phoneNumbers[type eq "mobile" and value eq "1"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mobile=1))");
    EXPECT_EQ(ldap_of(R"(phoneNumbers[type eq "mobile"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mobile=*))");
    EXPECT_EQ(ldap_of(R"(emails[type eq "home"])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(!(objectClass=*)))");
    EXPECT_EQ(ldap_of(R"(emails[primary eq true])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*))");
    EXPECT_EQ(ldap_of(R"(emails.type eq "work")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*))");
}

TEST(FilterTranslate, NotOfAValuePath) {
    EXPECT_EQ(ldap_of(R"(not (emails[type eq "work" and value co "@x"]))"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(!(mail=*@x*)))");
    EXPECT_EQ(ldap_of(R"(emails[not (value co "@x")])"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(&(mail=*)(!(mail=*@x*))))");
}

TEST(FilterTranslate, PresentOnComplexAttributes) {
    EXPECT_EQ(ldap_of("emails pr"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*))");
    EXPECT_EQ(ldap_of("phoneNumbers pr"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(telephoneNumber=*)("
              "mobile=*)(facsimileTelephoneNumber=*)))");
    EXPECT_EQ(ldap_of("name pr"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(cn=*)(sn=*)(givenName=*)("
              "personalTitle=*)(generationQualifier=*)))");
}

TEST(FilterTranslate, ComplexAttributeWithoutSubAttributeComparesValue) {
    EXPECT_EQ(ldap_of(R"(emails co "@x")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(mail=*@x*))");
    EXPECT_EQ(ldap_of(R"(phoneNumbers.value eq "1")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(|(telephoneNumber=1)("
              "mobile=1)(facsimileTelephoneNumber=1)))");
}

TEST(FilterTranslate, MalformedIdMatchesNothing) {
    EXPECT_EQ(ldap_of(R"(id eq "x)(uid=*")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(!(objectClass=*)))");
    EXPECT_EQ(ldap_of(R"(id ne "nope")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(objectClass=*))");
}

TEST(FilterTranslate, NullComparesPresence) {
    EXPECT_EQ(ldap_of("title eq null"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(!(title=*)))");
    EXPECT_EQ(ldap_of("title ne null"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(title=*))");
}

TEST(FilterTranslate, EnterpriseAttributeWithoutUrn) {
    EXPECT_EQ(ldap_of(R"(department eq "D1")"),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(departmentNumber=D1))");
}

TEST(FilterTranslate, ClasslarkExtensionWithAndWithoutUrn) {
    EXPECT_EQ(
        ldap_of(
            R"(urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User:subjects eq "Math")",
            classlark_users()),
        "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(scimSubjects=Math))");
    EXPECT_EQ(ldap_of(R"(room sw "R1")", classlark_users()),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(roomNumber=R1*))");
    EXPECT_EQ(ldap_of(R"(userName eq "a@b.org")", classlark_users()),
              "(&(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))(uid=a@b.org))");
    // The default profile has no such extension.
    EXPECT_NE(ldap_of(R"(room eq "R1")").find("not mapped"), std::string::npos);
}

TEST(FilterTranslate, SubstringOnNonStringsIsRefusedNamingTheAttribute) {
    EXPECT_NE(error_of(R"(id co "ab")").find("'id'"), std::string::npos);
    EXPECT_NE(error_of(R"(meta.lastModified sw "2024")").find("meta.lastModified"),
              std::string::npos);
    EXPECT_NE(error_of(R"(active co "t")").find("active"), std::string::npos);
}

TEST(FilterTranslate, PasswordIsRefused) {
    EXPECT_NE(error_of(R"(password eq "x")").find("password"), std::string::npos);
    EXPECT_NE(error_of("password pr").find("password"), std::string::npos);
}

TEST(FilterTranslate, NumberAgainstAStringIsRefused) {
    EXPECT_NE(error_of("title eq 5").find("quoted value"), std::string::npos);
    EXPECT_NE(error_of("active gt true").find("active"), std::string::npos);
}

TEST(FilterTranslate, UnknownSubAttributeInAValuePathIsRefused) {
    EXPECT_NE(error_of(R"(emails[display eq "x"])").find("emails.display"), std::string::npos);
}

// --- the re-check evaluates SCIM semantics on the rendered resource --------------------------

bool matches(std::string_view filter, std::string_view resource) {
    auto parsed = parse_filter(filter);
    EXPECT_TRUE(parsed) << filter;
    return resource_matches(users(), *parsed, boost::json::parse(resource).as_object());
}

TEST(FilterMatch, CaseExactAttributesCompareExactly) {
    const auto* r = R"({"userName":"Bjensen","externalId":"AbC","userType":"Staff"})";
    EXPECT_TRUE(matches(R"(userName eq "bjensen")", r));
    EXPECT_TRUE(matches(R"(externalId eq "AbC")", r));
    EXPECT_FALSE(matches(R"(externalId eq "abc")", r));
    EXPECT_FALSE(matches(R"(userType eq "staff")", r));
    EXPECT_TRUE(matches(R"(userType ne "staff")", r));
}

TEST(FilterMatch, ReferenceIdsCompareWithoutCase) {
    const auto* r =
        R"({"userName":"b","groups":[{"value":"0a1b2c3d-0000-4000-8000-00000000abcd"}],)"
        R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":)"
        R"({"manager":{"value":"0a1b2c3d-0000-4000-8000-00000000ef01"}}})";
    EXPECT_TRUE(matches(R"(groups.value eq "0A1B2C3D-0000-4000-8000-00000000ABCD")", r));
    EXPECT_TRUE(matches(R"(groups[value eq "0A1B2C3D-0000-4000-8000-00000000ABCD"])", r));
    EXPECT_TRUE(
        matches(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq )"
                R"("0A1B2C3D-0000-4000-8000-00000000EF01")",
                r));
}

TEST(FilterMatch, DateTimesCompareAsInstants) {
    const auto* r = R"({"meta":{"lastModified":"2024-01-31T23:59:59Z"}})";
    EXPECT_TRUE(matches(R"(meta.lastModified gt "2024-02-01T00:59:58+01:00")", r));
    EXPECT_FALSE(matches(R"(meta.lastModified gt "2024-02-01T00:59:59+01:00")", r));
    EXPECT_TRUE(matches(R"(meta.lastModified lt "2024-01-31T23:59:59.5Z")", r));
}

TEST(FilterMatch, AbsentAttributesMatchOnlyNeAndEqNull) {
    const auto* r = R"({"userName":"x"})";
    EXPECT_TRUE(matches(R"(title ne "a")", r));
    EXPECT_TRUE(matches("title eq null", r));
    EXPECT_FALSE(matches(R"(title eq "a")", r));
    EXPECT_FALSE(matches("title pr", r));
}

TEST(FilterMatch, MultiValuedAndValuePaths) {
    const auto* r =
        R"({"emails":[{"value":"a@x.org","type":"work","primary":true}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D1"}})";
    EXPECT_TRUE(matches(R"(emails co "@x")", r));
    EXPECT_TRUE(matches(R"(emails[type eq "Work" and value sw "a"])", r));
    EXPECT_FALSE(matches(R"(emails[type eq "home" or value sw "b"])", r));
    EXPECT_TRUE(matches("emails pr", r));
    EXPECT_TRUE(matches(R"(department eq "d1")", r));
    EXPECT_TRUE(matches(
        R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "D1")", r));
}

TEST(GroupMembersFilter, MembersValueEqBecomesTheMemberDn) {
    auto parsed = mapping::parse_filter(R"(members.value eq "ABC" or members eq "zzz")");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(mapping::reference_filter_ids(groups(), *parsed),
              (std::vector<std::string>{"ABC", "zzz"}));
    const mapping::reference_dns found{{"abc", ldap::dn("uid=a,o=x")}};
    auto f = mapping::translate_filter(groups(), *parsed, found);
    ASSERT_TRUE(f);
    // The unknown id matches nothing, so it drops out of the disjunction.
    EXPECT_EQ(f->str(), "(&(objectClass=groupOfNames)(member=uid=a,o=x))");
}

TEST(GroupMembersFilter, MembersPresentIgnoresThePlaceholder) {
    auto parsed = mapping::parse_filter("members pr");
    ASSERT_TRUE(parsed);
    const mapping::reference_dns none;
    auto f = mapping::translate_filter(groups(), *parsed, none);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->str(),
              "(&(objectClass=groupOfNames)(&(member=*)(!(member=cn=empty-membership-"
              "placeholder,dc=example,dc=org))))");
}

}  // namespace
}  // namespace scimldap::mapping
