// Resource ⇄ entry translation through the shipped profiles (RFC 7643 §4.1 User).
#include "base/escape.hpp"
#include "mapping/entry_diff.hpp"
#include "mapping/profile_loader.hpp"
#include "mapping/projection.hpp"
#include "mapping/resource_json.hpp"
#include "mapping/resource_reader.hpp"
#include "mapping/resource_writer.hpp"
#include "mapping/value_codec.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::mapping {
namespace {
namespace json = boost::json;

std::shared_ptr<const profile> shipped(const std::string& name) {
    auto r = load_profile(
        (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles" / (name + ".json"))
            .string());
    if (!r) {
        const auto errors = r.error();
        ADD_FAILURE() << errors.front().to_string();
        return nullptr;
    }
    return *r;
}

const resource_profile& default_user() {
    static const auto p = shipped("openldap-inetorgperson");
    return p->user;
}

const resource_profile& classlark_user() {
    static const auto p = shipped("classlark");
    return p->user;
}

desired_entry write_ok(const resource_profile& r, std::string_view body) {
    auto d = from_resource(r, json::parse(body));
    if (!d) {
        const auto e = d.error();
        ADD_FAILURE() << e.detail;
        return {};
    }
    return *d;
}

scim::error write_error(const resource_profile& r, std::string_view body) {
    auto d = from_resource(r, json::parse(body));
    EXPECT_FALSE(d.has_value()) << "expected an error for " << body;
    return d ? scim::error{scim::errc::internal, "no error"} : d.error();
}

std::vector<std::string> values(const desired_entry& d, std::string_view attr) {
    const auto* v = d.find(attr);
    return v ? *v : std::vector<std::string>{};
}

using strings = std::vector<std::string>;

TEST(UserWrite, EmptyStringsMeanNoValueLikeNull) {
    // RFC 7643 §2.5: "" is unassigned; an LDAP Directory String cannot be empty anyway.
    const auto d = write_ok(default_user(), R"({"userName": "x1", "name": {"givenName": ""},
        "title": "", "emails": [{"value": "", "type": "work"}]})");
    EXPECT_EQ(d.rdn_value, "x1");
    EXPECT_TRUE(values(d, "givenName").empty());
    EXPECT_TRUE(values(d, "title").empty());
    EXPECT_TRUE(values(d, "mail").empty());
    EXPECT_EQ(values(d, "cn"), strings{"x1"});  // the template skips the empty givenName
    EXPECT_EQ(values(d, "sn"), strings{"x1"});
}

TEST(UserWrite, EmptyUserNameIsMissingAndEmptyPasswordIsRefused) {
    const auto missing = write_error(default_user(), R"({"userName": ""})");
    EXPECT_EQ(missing.code, scim::errc::invalid_value);
    EXPECT_NE(missing.detail.find("'userName' is missing"), std::string::npos) << missing.detail;
    const auto password = write_error(default_user(), R"({"userName": "x1", "password": ""})");
    EXPECT_NE(password.detail.find("non-empty"), std::string::npos) << password.detail;
}

TEST(UserWrite, UserNameIsStoredWithoutLeadingAndTrailingSpaces) {
    const auto d = write_ok(default_user(), R"({"userName": " \t x1  "})");
    EXPECT_EQ(d.rdn_value, "x1");
    EXPECT_EQ(values(d, "uid"), strings{"x1"});
    EXPECT_EQ(values(d, "cn"), strings{"x1"});
    const auto inner = write_ok(default_user(), R"({"userName": "a b", "title": " t "})");
    EXPECT_EQ(inner.rdn_value, "a b");
    EXPECT_EQ(values(inner, "title"), strings{" t "});  // only the RDN's value is trimmed
    const auto spaces = write_error(default_user(), R"({"userName": "   "})");
    EXPECT_NE(spaces.detail.find("'userName' is missing"), std::string::npos) << spaces.detail;
}

TEST(UserWrite, OktaCreateBodyBecomesInetOrgPersonAttributes) {
    const auto d = write_ok(default_user(), R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "test.user@okta.local",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
        "displayName": "Test User", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [], "password": "1mz050nq", "active": true})");
    EXPECT_EQ(d.rdn_value, "test.user@okta.local");
    EXPECT_EQ(values(d, "uid"), strings{"test.user@okta.local"});
    EXPECT_EQ(values(d, "givenName"), strings{"Test"});
    EXPECT_EQ(values(d, "sn"), strings{"User"});
    EXPECT_EQ(values(d, "cn"), strings{"Test User"});  // template: givenName familyName
    EXPECT_EQ(values(d, "mail"), strings{"test.user@okta.local"});
    EXPECT_EQ(values(d, "scimExternalId"), strings{"00ujl29u0le5T6Aj10h7"});
    EXPECT_EQ(values(d, "displayName"), strings{"Test User"});
    EXPECT_EQ(d.password, "1mz050nq");
    EXPECT_EQ(d.active, true);
    EXPECT_TRUE(values(d, "userPassword").empty());  // only through Password Modify
}

TEST(UserWrite, AttributeNamesAreCaseInsensitive) {
    const auto d = write_ok(
        default_user(), R"({"USERNAME": "alice", "Name": {"GIVENNAME": "Alice"}, "TITLE": "Dr"})");
    EXPECT_EQ(d.rdn_value, "alice");
    EXPECT_EQ(values(d, "givenName"), strings{"Alice"});
    EXPECT_EQ(values(d, "title"), strings{"Dr"});
}

TEST(UserWrite, AbsentMappedAttributesAreListedWithoutValues) {
    const auto d = write_ok(default_user(), R"({"userName": "alice"})");
    ASSERT_NE(d.find("title"), nullptr);
    EXPECT_TRUE(d.find("title")->empty());
    EXPECT_EQ(values(d, "sn"), strings{"alice"});  // sn template falls back to userName
    EXPECT_EQ(values(d, "cn"), strings{"alice"});
}

TEST(UserWrite, MissingUserNameIsInvalidValueNamingIt) {
    const auto e = write_error(default_user(), R"({"name": {"givenName": "X"}})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("userName"), std::string::npos) << e.detail;
}

TEST(UserWrite, WrongTypeIsInvalidValueNamingTheAttribute) {
    const auto e = write_error(default_user(), R"({"userName": "a", "title": 5})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("title"), std::string::npos) << e.detail;
}

TEST(UserWrite, ComplexAttributeGivenAsStringIsInvalidValue) {
    const auto e = write_error(default_user(), R"({"userName": "a", "name": "Alice"})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("name"), std::string::npos) << e.detail;
}

TEST(UserWrite, UnknownExtensionUrnIsRefusedNamingIt) {
    const auto e = write_error(default_user(), R"({"userName": "a",
        "urn:example:params:scim:schemas:extension:custom:2.0:User": {"x": "y"}})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("urn:example:params:scim:schemas:extension:custom:2.0:User"),
              std::string::npos);
}

TEST(UserWrite, KnownExtensionNotListedInSchemasIsInvalidSyntax) {
    const auto e = write_error(default_user(), R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"}})");
    EXPECT_EQ(e.code, scim::errc::invalid_syntax);
    EXPECT_NE(e.detail.find("schemas"), std::string::npos);
}

TEST(UserWrite, EnterpriseExtensionAttributesAndManagerId) {
    const auto d = write_ok(default_user(), R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "userName": "a",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984", "department": "Tour Operations",
            "organization": "Universal Studios",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}})");
    EXPECT_EQ(values(d, "employeeNumber"), strings{"701984"});
    EXPECT_EQ(values(d, "departmentNumber"), strings{"Tour Operations"});
    EXPECT_EQ(values(d, "o"), strings{"Universal Studios"});
    ASSERT_EQ(d.references.size(), 1u);
    EXPECT_EQ(d.references[0].ids, strings{"26118915-6090-4610-87e4-49d8ca9f808d"});
}

TEST(UserWrite, EntraStringBooleanForActive) {
    EXPECT_EQ(write_ok(default_user(), R"({"userName": "a", "active": "False"})").active, false);
    EXPECT_EQ(write_ok(default_user(), R"({"userName": "a", "active": "True"})").active, true);
}

TEST(UserWrite, NullValuesMeanAbsent) {
    const auto d = write_ok(default_user(), R"({"userName": "a", "title": null,
        "phoneNumbers": null, "preferredLanguage": null})");
    EXPECT_TRUE(values(d, "title").empty());
    EXPECT_TRUE(values(d, "telephoneNumber").empty());
}

TEST(UserWrite, OneLoginEmailsAsAnObject) {
    const auto d = write_ok(default_user(), R"({"userName": "a",
        "emails": {"value": "a@x.org", "type": "work", "primary": true}})");
    EXPECT_EQ(values(d, "mail"), strings{"a@x.org"});
}

TEST(UserWrite, PhoneNumbersSelectedByType) {
    const auto d = write_ok(default_user(), R"({"userName": "a", "phoneNumbers": [
        {"value": "+1 555 0100", "type": "work"}, {"value": "+1 555 0199", "type": "mobile"}]})");
    EXPECT_EQ(values(d, "telephoneNumber"), strings{"+1 555 0100"});
    EXPECT_EQ(values(d, "mobile"), strings{"+1 555 0199"});
}

TEST(UserWrite, ReadOnlyAttributesInTheBodyAreIgnored) {
    const auto d = write_ok(default_user(), R"({"userName": "a", "id": "forged",
        "meta": {"resourceType": "User", "version": "W/\"x\""},
        "groups": [{"value": "g"}]})");
    EXPECT_EQ(d.rdn_value, "a");
}

TEST(UserWrite, ClasslarkUserTypeOutsideTheListNamesTheAllowedValues) {
    const auto e =
        write_error(classlark_user(), R"({"userName": "a@school.org", "userType": "staff"})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    for (const char* v : {"Staff", "Event Manager", "Finance Manager", "Administrator"}) {
        EXPECT_NE(e.detail.find(v), std::string::npos) << e.detail;
    }
}

TEST(UserWrite, ClasslarkUserTypeIsRequired) {
    const auto e = write_error(classlark_user(), R"({"userName": "a@school.org"})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("userType"), std::string::npos) << e.detail;
}

TEST(UserWrite, ClasslarkUserNameMustLookLikeAnEmailAddress) {
    const auto e = write_error(classlark_user(), R"({"userName": "not-an-email",
        "userType": "Staff"})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("userName"), std::string::npos) << e.detail;
}

TEST(UserWrite, ClasslarkExtensionRoundTripsToItsAttributes) {
    const auto d = write_ok(classlark_user(), R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User"],
        "userName": "t@school.org", "userType": "Event Manager",
        "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User": {
            "subjects": "Maths, Physics", "room": "B-204",
            "meetingUrl": "https://meet.example.org/t"}})");
    EXPECT_EQ(d.user_type, "Event Manager");
    EXPECT_EQ(values(d, "employeeType"), strings{"Event Manager"});
    EXPECT_EQ(values(d, "scimSubjects"), strings{"Maths, Physics"}) << "one value, as sent";
    EXPECT_EQ(values(d, "roomNumber"), strings{"B-204"});
    EXPECT_EQ(values(d, "labeledURI"), strings{"https://meet.example.org/t"});
}

TEST(UserWrite, ClasslarkSubjectsAcceptsAOneElementListButNotSeveral) {
    const std::string head = R"({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User"],
        "userName": "t@school.org", "userType": "Staff",
        "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User": )";
    const auto one = write_ok(classlark_user(), head + R"({"subjects": ["Maths"]}})");
    EXPECT_EQ(values(one, "scimSubjects"), strings{"Maths"});
    const auto e = write_error(classlark_user(), head + R"({"subjects": ["Maths", "Art"]}})");
    EXPECT_EQ(e.code, scim::errc::invalid_value);
    EXPECT_NE(e.detail.find("subjects"), std::string::npos) << e.detail;
}

ldap::entry sample_entry() {
    ldap::entry e;
    e.name = ldap::dn("uid=alice,ou=People,dc=example,dc=org");
    e.attributes = {
        {"objectClass", {"inetOrgPerson"}},
        {"entryUUID", {"0b6e3f8c-1111-4a4a-9c9c-0123456789ab"}},
        {"uid", {"alice"}},
        {"cn", {"Alice Smith"}},
        {"sn", {"Smith"}},
        {"givenName", {"Alice"}},
        {"mail", {"alice@example.org"}},
        {"mobile", {"+1 555 0199"}},
        {"employeeNumber", {"42"}},
        {"manager", {"uid=boss,ou=People,dc=example,dc=org"}},
        {"memberOf", {"cn=Eng,ou=Groups,dc=example,dc=org", "cn=Staff,ou=Roles,dc=example,dc=org"}},
        {"entryCSN", {"20240131120000.000000Z#000000#000#000000"}},
        {"createTimestamp", {"20240131120000Z"}},
        {"modifyTimestamp", {"20240201083000Z"}},
    };
    return e;
}

json::object read(const resource_profile& r, const ldap::entry& e, const projection& p) {
    const resolved_reference boss{"b0b0b0b0-2222-4a4a-9c9c-0123456789ab", "The Boss", "User"};
    const resolved_reference eng{"e0e0e0e0-3333-4a4a-9c9c-0123456789ab", "Eng", "Group"};
    const reference_resolver refs = [&](const ldap::dn& d) -> const resolved_reference* {
        if (d.str().starts_with("uid=boss")) {
            return &boss;
        }
        if (d.str().starts_with("cn=Eng")) {
            return &eng;
        }
        return nullptr;  // outside the tenant (the role group)
    };
    return to_resource(r, e, {p, "https://h/scim/v2", refs});
}

TEST(UserRead, TheResourceTextStartsWithSchemasAndEndsWithMeta) {
    const resolved_reference none{"", "", ""};
    const reference_resolver refs = [&](const ldap::dn&) { return &none; };
    const projection everything;
    std::string text;
    append_resource_json(text, default_user(), sample_entry(),
                         {everything, "https://h/scim/v2", refs});
    EXPECT_TRUE(text.starts_with(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User")"))
        << text;
    EXPECT_NE(text.find(R"(,"meta":{"resourceType":"User")"), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("\"}}")) << text;  // meta's location closes the resource
    // Every key of the top level appears once (a DOM would have merged duplicates silently).
    const auto parsed = boost::json::parse(text).as_object();
    std::size_t top_level_keys = 0;
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (in_string) {
            if (ch == '\\') {
                ++i;
            } else if (ch == '"') {
                in_string = false;
            }
        } else if (ch == '"') {
            in_string = true;
            top_level_keys += depth == 1 && (text[i - 1] == '{' || text[i - 1] == ',') ? 1 : 0;
        } else if (ch == '{' || ch == '[') {
            ++depth;
        } else if (ch == '}' || ch == ']') {
            --depth;
        }
    }
    EXPECT_EQ(top_level_keys, parsed.size()) << text;
}

TEST(UserRead, AttributeNamesMatchWhateverCaseTheServerReturns) {
    ldap::entry e = sample_entry();
    for (auto& a : e.attributes) {
        if (a.name == "mail") {
            a.name = "MAIL";
        }
    }
    const auto u = read(default_user(), e, projection());
    EXPECT_EQ(u.at("emails").at(0).at("value"), "alice@example.org");
}

TEST(UserRead, ALanguageSubtypeDoesNotStandInForTheAttribute) {
    // Asking for cn also returns its subtypes (RFC 4512 §2.5.2); only plain cn is name.formatted.
    ldap::entry e = sample_entry();
    e.attributes.insert(e.attributes.begin(), {"cn;lang-de", {"Alice Schmidt"}});
    const auto u = read(default_user(), e, projection());
    EXPECT_EQ(u.at("name").at("formatted"), "Alice Smith");
}

TEST(UserRead, AValueThatIsNotUtf8PassesThroughByteForByte) {
    const std::string latin1 = "Ren\xe9\x65 \xff";  // "Renée" and a stray byte from an old import
    ldap::entry e = sample_entry();
    e.attributes.push_back({"displayName", {latin1}});
    const auto u = read(default_user(), e, projection());
    EXPECT_EQ(u.at("displayName").as_string(), latin1);
    EXPECT_EQ(u.at("userName"), "alice");
}

TEST(UserRead, EntryBecomesTheScimUser) {
    const auto u = read(default_user(), sample_entry(), projection());
    EXPECT_EQ(u.at("id"), "0b6e3f8c-1111-4a4a-9c9c-0123456789ab");
    EXPECT_EQ(u.at("userName"), "alice");
    EXPECT_EQ(u.at("name").at("givenName"), "Alice");
    EXPECT_EQ(u.at("name").at("familyName"), "Smith");
    EXPECT_EQ(u.at("name").at("formatted"), "Alice Smith");
    EXPECT_EQ(u.at("active"), true);  // no pwdAccountLockedTime
    const auto& email = u.at("emails").at(0).as_object();
    EXPECT_EQ(email.at("value"), "alice@example.org");
    EXPECT_EQ(email.at("type"), "work");
    EXPECT_EQ(email.at("primary"), true);
    EXPECT_EQ(u.at("phoneNumbers").at(0).at("type"), "mobile");
    const auto& ent = u.at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    EXPECT_EQ(ent.at("employeeNumber"), "42");
    EXPECT_EQ(ent.at("manager").at("value"), "b0b0b0b0-2222-4a4a-9c9c-0123456789ab");
    EXPECT_EQ(ent.at("manager").at("$ref"),
              "https://h/scim/v2/Users/b0b0b0b0-2222-4a4a-9c9c-0123456789ab");
    ASSERT_EQ(u.at("groups").as_array().size(), 1u);  // the role group is not a SCIM group
    EXPECT_EQ(u.at("groups").at(0).at("display"), "Eng");
    EXPECT_EQ(u.at("meta").at("created"), "2024-01-31T12:00:00Z");
    EXPECT_EQ(u.at("meta").at("lastModified"), "2024-02-01T08:30:00Z");
    EXPECT_EQ(u.at("meta").at("version"), "W/\"20240131120000.000000Z#000000#000#000000\"");
    EXPECT_EQ(u.at("meta").at("location"),
              "https://h/scim/v2/Users/0b6e3f8c-1111-4a4a-9c9c-0123456789ab");
    EXPECT_EQ(u.at("schemas").as_array().size(), 2u);
    EXPECT_FALSE(u.contains("password"));
}

TEST(UserRead, LockedEntryIsInactive) {
    auto e = sample_entry();
    e.attributes.push_back({"pwdAccountLockedTime", {"000001010000Z"}});
    EXPECT_EQ(read(default_user(), e, projection()).at("active"), false);
}

TEST(UserRead, AttributesParameterKeepsOnlyThoseAndTheId) {
    const auto p = projection::parse(default_user(), "userName,name.givenName", "");
    const auto u = read(default_user(), sample_entry(), p);
    EXPECT_EQ(u.at("userName"), "alice");
    EXPECT_EQ(u.at("name").as_object().size(), 1u);
    EXPECT_TRUE(u.contains("id"));
    EXPECT_FALSE(u.contains("emails"));
    EXPECT_FALSE(u.contains("meta"));
}

TEST(UserRead, ExcludedAttributesDropThemButNeverTheId) {
    const auto p = projection::parse(default_user(), "", "emails,id,groups");
    const auto u = read(default_user(), sample_entry(), p);
    EXPECT_FALSE(u.contains("emails"));
    EXPECT_FALSE(u.contains("groups"));
    EXPECT_TRUE(u.contains("id"));
    EXPECT_TRUE(u.contains("userName"));
}

TEST(UserRead, ProjectionDecidesTheLdapAttributesRequested) {
    const auto p = projection::parse(default_user(), "userName", "");
    const auto attrs = p.ldap_attributes(default_user());
    auto has = [&](std::string_view a) {
        return std::find(attrs.begin(), attrs.end(), a) != attrs.end();
    };
    EXPECT_TRUE(has("uid"));
    EXPECT_TRUE(has("entryUUID"));
    EXPECT_TRUE(has("entryCSN"));
    EXPECT_FALSE(has("mail"));
    EXPECT_FALSE(has("memberOf"));
    EXPECT_FALSE(has("objectClass"));  // nothing a read returns comes from it
}

TEST(UserRead, AReadWithTheDefaultProjectionDoesNotRequestObjectClass) {
    const auto& attrs = default_user().default_read_attributes();
    EXPECT_EQ(std::find(attrs.begin(), attrs.end(), "objectClass"), attrs.end());
    // A write compares the entry's classes, so the read before a write still asks for them.
    const auto& all = default_user().all_ldap_attributes();
    EXPECT_NE(std::find(all.begin(), all.end(), "objectClass"), all.end());
}

TEST(UserRead, TheDefaultReadListIsWhatTheProjectionRuleGives) {
    // Excluding the never-returned password takes the general path with the same meaning.
    for (const auto* user : {&default_user(), &classlark_user()}) {
        const auto general = projection::parse(*user, "", "password").ldap_attributes(*user);
        const auto fast = projection::parse(*user, "", "").ldap_attributes(*user);
        EXPECT_EQ(fast, general) << user->name;
        EXPECT_EQ(fast, user->default_read_attributes());
    }
}

TEST(EntryDiff, UnchangedAttributesProduceNoModification) {
    const auto e = sample_entry();
    EXPECT_TRUE(diff_entry(e, {{"mail", {"alice@example.org"}}, {"sn", {"Smith"}}}).empty());
}

TEST(EntryDiff, ChangedSingleValueIsReplacedAndAbsentIsDeleted) {
    const auto mods =
        diff_entry(sample_entry(), {{"sn", {"Jones"}}, {"mobile", {}}, {"title", {}}});
    ASSERT_EQ(mods.size(), 2u);
    EXPECT_EQ(mods[0].op, ldap::mod_op::replace);
    EXPECT_EQ(mods[0].values, strings{"Jones"});
    EXPECT_EQ(mods[1].op, ldap::mod_op::remove);
    EXPECT_EQ(mods[1].attribute, "mobile");
}

TEST(EntryDiff, MultiValuedChangesAreValueLevel) {
    ldap::entry e;
    e.attributes = {{"scimSubjects", {"Maths", "Physics", "Art"}}};
    const auto mods = diff_entry(e, {{"scimSubjects", {"Maths", "Art", "Music"}}});
    ASSERT_EQ(mods.size(), 2u);
    EXPECT_EQ(mods[0].op, ldap::mod_op::remove);
    EXPECT_EQ(mods[0].values, strings{"Physics"});
    EXPECT_EQ(mods[1].op, ldap::mod_op::add);
    EXPECT_EQ(mods[1].values, strings{"Music"});
}

TEST(EntryDiff, TheRdnAttributeIsLeftToTheRename) {
    EXPECT_TRUE(diff_entry(sample_entry(), {{"uid", {"bob"}}}, "uid").empty());
}

TEST(ValueCodec, GeneralizedTimeToXsdDateTime) {
    EXPECT_EQ(generalized_time_to_xsd("20240131235959Z"), "2024-01-31T23:59:59Z");
    EXPECT_EQ(generalized_time_to_xsd("20240131235959.123Z"), "2024-01-31T23:59:59.123Z");
    EXPECT_EQ(generalized_time_to_xsd("202401312359-0100"), "2024-02-01T00:59:00Z");
    EXPECT_FALSE(generalized_time_to_xsd("yesterday"));
    // The plain UTC form slapd uses takes a shortcut that must agree with the general path.
    EXPECT_EQ(generalized_time_to_xsd("20240229000000Z"), "2024-02-29T00:00:00Z");
    EXPECT_EQ(generalized_time_to_xsd("20231231235959Z"), "2023-12-31T23:59:59Z");
    EXPECT_FALSE(generalized_time_to_xsd("20230229000000Z"));  // not a leap year
    EXPECT_FALSE(generalized_time_to_xsd("20241301000000Z"));
    EXPECT_FALSE(generalized_time_to_xsd("20240431000000Z"));
    EXPECT_FALSE(generalized_time_to_xsd("20240101246000Z"));
}

TEST(ValueCodec, XsdDateTimeToGeneralizedTime) {
    EXPECT_EQ(xsd_to_generalized_time("2024-01-31T23:59:59Z"), "20240131235959Z");
    EXPECT_EQ(xsd_to_generalized_time("2024-02-01T01:59:59+02:00"), "20240131235959Z");
    EXPECT_FALSE(xsd_to_generalized_time("2024-01-31"));
}

TEST(ValueCodec, BooleansAcceptEntraStrings) {
    std::string why;
    EXPECT_EQ(to_ldap_value(value_type::boolean, json::value("False"), &why), "FALSE");
    EXPECT_EQ(to_ldap_value(value_type::boolean, json::value(true), &why), "TRUE");
    EXPECT_FALSE(to_ldap_value(value_type::boolean, json::value("maybe"), &why));
}

}  // namespace
}  // namespace scimldap::mapping
