#include "mapping/subschema_check.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

// cn=Subschema as Debian's slapd 2.5 returns it (captured into the test data file).
const subschema& slapd_subschema() {
    static const subschema s = [] {
        subschema out;
        std::ifstream in((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                          "tests/unit/data/slapd-2.5-subschema.ldif")
                             .string());
        std::string line;
        while (std::getline(in, line)) {
            if (line.starts_with("attributeTypes: ")) {
                out.attribute_types.push_back(line.substr(16));
            } else if (line.starts_with("objectClasses: ")) {
                out.object_classes.push_back(line.substr(15));
            }
        }
        return out;
    }();
    return s;
}

json::object shipped_json(std::string_view name) {
    std::ifstream in((std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles/").string() +
                     std::string(name) + ".json");
    return json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
}

json::object& user(json::object& p) {
    return p["resources"].as_object()["User"].as_object();
}

std::shared_ptr<const profile> build(const json::object& p) {
    auto r = parse_profile(json::serialize(p), "test-profile.json");
    if (!r) {
        ADD_FAILURE() << r.error().front().to_string();
        return nullptr;
    }
    return *r;
}

std::string describe(const std::vector<config_error>& errors) {
    std::string out;
    for (const auto& e : errors) {
        out += "\n  " + e.to_string();
    }
    return out;
}

const config_error* finding_at(const std::vector<config_error>& errors, std::string_view path) {
    for (const auto& e : errors) {
        if (e.path == path) {
            return &e;
        }
    }
    ADD_FAILURE() << "no finding at " << path << ":" << describe(errors);
    return nullptr;
}

TEST(SubschemaCheck, CapturedSchemaIsComplete) {
    EXPECT_GT(slapd_subschema().attribute_types.size(), 300u);
    EXPECT_GT(slapd_subschema().object_classes.size(), 50u);
}

TEST(SubschemaCheck, ShippedProfilesMatchSlapdWithBridgeSchema) {
    for (const auto* name : {"openldap-inetorgperson", "classlark"}) {
        const auto p = build(shipped_json(name));
        ASSERT_TRUE(p);
        const auto findings = check_against_subschema(*p, slapd_subschema());
        EXPECT_TRUE(findings.empty()) << name << ":" << describe(findings);
    }
}

TEST(SubschemaCheck, AttributeUnknownToServerIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["attributes"].as_array().push_back(
        json::object{{"scim", "nickName2"}, {"ldap", "nickName"}});
    // nickName2 is not an RFC attribute: use an extension-free core name instead.
    user(p)["attributes"].as_array().back().as_object()["scim"] = "profileUrl";
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto index = user(p)["attributes"].as_array().size() - 1;
    const auto* f =
        finding_at(findings, "resources.User.attributes[" + std::to_string(index) + "].ldap");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("does not know the attribute nickName"), std::string::npos)
        << f->message;
    EXPECT_EQ(f->file, "test-profile.json");
}

TEST(SubschemaCheck, AServerWithoutPwdEndTimeIsToldToTurnTheMarkOff) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["active"].as_object()["end_ldap"] = "pwdEndTimeOld";
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f = finding_at(findings, "resources.User.active.end_ldap");
    ASSERT_NE(f, nullptr) << describe(findings);
    EXPECT_NE(f->message.find("remove \"end_ldap\""), std::string::npos) << f->message;
}

TEST(SubschemaCheck, MultiValuedScimOnSingleValueLdapIsAnError) {
    auto p = shipped_json("classlark");
    auto& attributes = user(p)["attributes"].as_array();
    std::size_t index = 0;
    for (; index < attributes.size(); ++index) {
        if (attributes[index].as_object()["ldap"] == "scimSubjects") {
            break;
        }
    }
    ASSERT_LT(index, attributes.size());
    attributes[index].as_object()["ldap"] = "preferredLanguage";  // SINGLE-VALUE
    attributes[index].as_object()["multi_valued"] = true;
    attributes.erase(attributes.begin() + 7);  // the preferredLanguage mapping itself
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f =
        finding_at(findings, "resources.User.attributes[" + std::to_string(index - 1) + "].ldap");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("SINGLE-VALUE"), std::string::npos) << f->message;
}

TEST(SubschemaCheck, SingleValuedScimOnMultiValuedLdapIsFine) {
    // title and mail are multi-valued in LDAP, single in these mappings.
    const auto p = build(shipped_json("openldap-inetorgperson"));
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->user.find(attr_path{"", "title", ""})->multi_valued);
    EXPECT_TRUE(check_against_subschema(*p, slapd_subschema()).empty());
}

TEST(SubschemaCheck, MustAttributeNothingProducesIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["templates"].as_object().erase("sn");
    user(p)["templates"].as_object()["cn"] = json::array{"{userName}"};
    auto& attributes = user(p)["attributes"].as_array();
    attributes.erase(std::remove_if(attributes.begin(), attributes.end(),
                                    [](const json::value& v) { return v.at("ldap") == "sn"; }),
                     attributes.end());
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f = finding_at(findings, "resources.User.object_classes");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("require sn, which no mapping or template produces"),
              std::string::npos)
        << f->message;
}

TEST(SubschemaCheck, MustAttributeOnlyOptionallyMappedIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["templates"].as_object().erase("sn");
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f = finding_at(findings, "resources.User.object_classes");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("its mapping is optional"), std::string::npos) << f->message;
}

TEST(SubschemaCheck, GroupMemberWithoutPlaceholderIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    p["resources"].as_object()["Group"].as_object()["members"].as_object().erase("placeholder_dn");
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f = finding_at(findings, "resources.Group.members.placeholder_dn");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("require member"), std::string::npos) << f->message;
}

TEST(SubschemaCheck, AttributeNoWrittenClassAllowsIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["attributes"].as_array().push_back(
        json::object{{"scim", "profileUrl"}, {"ldap", "homeDirectory"}});
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto index = user(p)["attributes"].as_array().size() - 1;
    const auto* f =
        finding_at(findings, "resources.User.attributes[" + std::to_string(index) + "].ldap");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("allowed by none of the objectClasses"), std::string::npos)
        << f->message;
}

TEST(SubschemaCheck, UnknownObjectClassIsReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["object_classes"] = json::array{"inetOrgPerson", "scimBridgeObjekt"};
    const auto profile = build(p);
    ASSERT_TRUE(profile);
    const auto findings = check_against_subschema(*profile, slapd_subschema());
    const auto* f = finding_at(findings, "resources.User.object_classes[1]");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("scimBridgeObjekt"), std::string::npos);
}

TEST(SubschemaCheck, ServerWithoutBridgeSchemaLacksScimExternalId) {
    subschema without = slapd_subschema();
    std::erase_if(without.attribute_types, [](const std::string& s) {
        return s.find("'scimExternalId'") != std::string::npos;
    });
    const auto p = build(shipped_json("openldap-inetorgperson"));
    ASSERT_TRUE(p);
    const auto findings = check_against_subschema(*p, without);
    ASSERT_FALSE(findings.empty());
    EXPECT_NE(findings.front().message.find("scimExternalId"), std::string::npos);
}

TEST(SubschemaCheck, UnparsableDefinitionIsReported) {
    subschema broken = slapd_subschema();
    broken.attribute_types.push_back("( 1.2.3 NAME 'x' SYNTAX");
    const auto p = build(shipped_json("openldap-inetorgperson"));
    ASSERT_TRUE(p);
    const auto findings = check_against_subschema(*p, broken);
    ASSERT_EQ(findings.size(), 1u) << describe(findings);
    EXPECT_EQ(findings.front().file, "cn=Subschema");
}

}  // namespace
}  // namespace scimldap::mapping
