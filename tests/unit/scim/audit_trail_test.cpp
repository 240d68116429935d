#include "bridge/scim/audit_trail.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

namespace scimldap::scim {
namespace {

namespace json = boost::json;

std::shared_ptr<const mapping::profile> shipped_profile() {
    static const auto loaded =
        mapping::load_profile((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                               "mapping/profiles/openldap-inetorgperson.json")
                                  .string());
    return *loaded;
}

const ldap::dn alice{"uid=alice,ou=People,dc=example,dc=org"};

json::object line_of(const audit_trail& t) {
    json::object o;
    t.append_json(o);
    return o;
}

TEST(AuditTrail, AddRecordsEveryAttributeWithItsValues) {
    audit_trail t;
    t.open("User", "", shipped_profile());
    const auto i = t.add(alice, {{"uid", {"alice"}}, {"title", {"Engineer"}}});
    t.finish(i, 0);
    t.created(alice, "0b9c6d2e-1111-2222-3333-444455556666");

    const auto o = line_of(t);
    EXPECT_EQ(o.at("resource_type"), "User");
    EXPECT_EQ(o.at("id"), "0b9c6d2e-1111-2222-3333-444455556666");
    EXPECT_EQ(o.at("dn").as_string(), alice.str());
    EXPECT_EQ(o.at("ldap_result"), "success");
    const auto& op = o.at("operations").as_array().at(0).as_object();
    EXPECT_EQ(op.at("op"), "add");
    EXPECT_EQ(op.at("ldap_code"), 0);
    const auto& title = op.at("changes").as_array().at(1).as_object();
    EXPECT_EQ(title.at("attribute"), "title");
    EXPECT_EQ(title.at("action"), "add");
    EXPECT_EQ(title.at("values"), (json::array{"Engineer"}));
}

TEST(AuditTrail, PasswordValuesAreWithheldInAnAddAndAModify) {
    audit_trail t;
    t.open("User", "", shipped_profile());
    t.add(alice, {{"uid", {"alice"}}, {"userPassword", {"Cleartext-1"}}});
    t.modify(alice, {{ldap::mod_op::replace, "userPassword", {"Cleartext-2"}}});
    t.password(alice, "userPassword");

    const std::string text = json::serialize(line_of(t));
    EXPECT_EQ(text.find("Cleartext"), std::string::npos) << text;
    const auto o = line_of(t);
    const auto& ops = o.at("operations").as_array();
    EXPECT_EQ(ops.at(0).at("changes").as_array().at(1).at("values"), "withheld");
    EXPECT_EQ(ops.at(1).at("changes").as_array().at(0).at("values"), "withheld");
    EXPECT_EQ(ops.at(2).at("op"), "passwordModify");
    EXPECT_EQ(ops.at(2).at("changes").as_array().at(0).at("attribute"), "userPassword");
    EXPECT_EQ(ops.at(2).at("ldap_result"), nullptr) << "no answer recorded yet";
}

TEST(AuditTrail, WithoutAProfileNoValueIsRecorded) {
    audit_trail t;
    t.open("User", "", nullptr);
    t.modify(alice, {{ldap::mod_op::replace, "title", {"X"}}});
    EXPECT_TRUE(t.operations().front().changes.front().secret);
}

TEST(AuditTrail, NonUtf8ValuesAreBase64) {
    audit_trail t;
    t.open("User", "", shipped_profile());
    t.modify(alice, {{ldap::mod_op::replace, "jpegPhoto", {std::string("\xff\xd8\xff", 3)}}});
    const auto& c = t.operations().front().changes.front();
    EXPECT_TRUE(c.base64);
    EXPECT_EQ(c.values, (std::vector<std::string>{"/9j/"}));
}

TEST(AuditTrail, ManyValuesAreCutAtTheCapAndCounted) {
    audit_trail t;
    t.open("Group", "", shipped_profile());
    std::vector<std::string> members(max_audited_values + 5, "uid=x,ou=People,dc=example,dc=org");
    t.modify(ldap::dn("cn=big,ou=Groups,dc=example,dc=org"),
             {{ldap::mod_op::add, "member", members}});
    const auto& c = t.operations().front().changes.front();
    EXPECT_EQ(c.values.size(), max_audited_values);
    EXPECT_EQ(c.values_left_out, 5u);
}

TEST(AuditTrail, TheEntryReadByTheRequestsIdIsItsSubject) {
    audit_trail t;
    t.open("User", "ABC-1", shipped_profile());
    t.found(ldap::dn("cn=other,ou=Groups,dc=example,dc=org"), "def-2");
    t.found(alice, "abc-1");
    EXPECT_EQ(t.dn(), alice) << "ids compare case-insensitively";
}

TEST(AuditTrail, ASuccessfulRenameOfTheSubjectGivesTheNewDn) {
    audit_trail t;
    t.open("User", "abc-1", shipped_profile());
    t.found(alice, "abc-1");
    t.finish(t.rename(alice, "uid=alicia", std::nullopt), 0);
    EXPECT_EQ(t.new_dn(), ldap::dn("uid=alicia,ou=People,dc=example,dc=org"));
    EXPECT_EQ(line_of(t).at("new_dn"), "uid=alicia,ou=People,dc=example,dc=org");
}

TEST(AuditTrail, AnArchiveMovesTheSubjectUnderTheNewSuperior) {
    audit_trail t;
    t.open("User", "abc-1", shipped_profile());
    t.found(alice, "abc-1");
    t.finish(t.rename(alice, "uid=alice", ldap::dn("ou=Archive,dc=example,dc=org")), 0);
    EXPECT_EQ(t.new_dn(), ldap::dn("uid=alice,ou=Archive,dc=example,dc=org"));
}

TEST(AuditTrail, ARenameUndoneLeavesNoNewDn) {
    audit_trail t;
    t.open("User", "abc-1", shipped_profile());
    t.found(alice, "abc-1");
    t.finish(t.rename(alice, "uid=alicia", std::nullopt), 0);
    t.finish(t.modify(ldap::dn("uid=alicia,ou=People,dc=example,dc=org"), {}), 122);
    t.finish(
        t.rename(ldap::dn("uid=alicia,ou=People,dc=example,dc=org"), "uid=alice", std::nullopt), 0);
    EXPECT_FALSE(t.new_dn());
    EXPECT_EQ(line_of(t).at("ldap_result"), "assertionFailed")
        << "the failure decides, not the undo after it";
    EXPECT_EQ(line_of(t).at("ldap_code"), 122);
}

TEST(AuditTrail, ARenameThatOnlyChangesCaseIsAMove) {
    audit_trail t;
    t.open("User", "abc-1", shipped_profile());
    t.found(alice, "abc-1");
    t.finish(t.rename(alice, "uid=Alice", std::nullopt), 0);
    EXPECT_EQ(t.new_dn(), ldap::dn("uid=Alice,ou=People,dc=example,dc=org"));
}

TEST(AuditTrail, ARefusedCreateStillNamesTheEntryItTriedToAdd) {
    audit_trail t;
    t.open("User", "", shipped_profile());
    t.finish(t.add(alice, {{"uid", {"alice"}}}), 68);
    EXPECT_EQ(t.dn(), alice);
    EXPECT_EQ(line_of(t).at("id"), nullptr);
}

TEST(AuditTrail, AnIdThatIsNotUtf8IsWrittenAsValidJsonText) {
    audit_trail t;
    t.open("User", std::string("\xff\xfe", 2), shipped_profile());
    const auto o = line_of(t);
    EXPECT_EQ(o.at("id"), "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(AuditTrail, AFailedRenameChangesNoDn) {
    audit_trail t;
    t.open("User", "abc-1", shipped_profile());
    t.found(alice, "abc-1");
    t.finish(t.rename(alice, "uid=bob", std::nullopt), 68);
    EXPECT_FALSE(t.new_dn());
    EXPECT_EQ(line_of(t).at("ldap_result"), "entryAlreadyExists");
}

TEST(AuditTrail, ATrailNotOpenedRecordsNoSubject) {
    audit_trail t;
    t.found(alice, "");
    t.created(alice, "abc");
    EXPECT_FALSE(t.is_open());
    EXPECT_FALSE(t.dn());
}

}  // namespace
}  // namespace scimldap::scim
