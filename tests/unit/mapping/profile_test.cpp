#include "mapping/profile.hpp"
#include "mapping/profile_loader.hpp"
#include "mapping/projection.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

std::string shipped(std::string_view name) {
    return (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles/").string() +
           std::string(name) + ".json";
}

json::object shipped_json(std::string_view name) {
    std::ifstream in(shipped(name));
    return json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
}

json::object& user(json::object& p) {
    return p["resources"].as_object()["User"].as_object();
}
json::object& group(json::object& p) {
    return p["resources"].as_object()["Group"].as_object();
}
json::array& user_attributes(json::object& p) {
    return user(p)["attributes"].as_array();
}

profile_result parse(const json::object& p) {
    return parse_profile(json::serialize(p), "test-profile.json");
}

std::optional<config_error> error_at(const profile_result& r, std::string_view path) {
    if (r) {
        ADD_FAILURE() << "profile was accepted, expected an error at " << path;
        return std::nullopt;
    }
    // result::error() returns a copy, so keep one.
    const auto errors = r.error();
    for (const auto& e : errors) {
        if (e.path == path) {
            return e;
        }
    }
    std::string all;
    for (const auto& e : errors) {
        all += "\n  " + e.to_string();
    }
    ADD_FAILURE() << "no error at " << path << "; errors:" << all;
    return std::nullopt;
}

#define EXPECT_PROFILE_ERROR(result, path, text)                                 \
    do {                                                                         \
        const auto& r_ = (result);                                               \
        const auto e_ = error_at(r_, path);                                      \
        if (e_) {                                                                \
            EXPECT_NE(e_->message.find(text), std::string::npos) << e_->message; \
            EXPECT_EQ(e_->file, "test-profile.json");                            \
        }                                                                        \
    } while (false)

std::shared_ptr<const profile> load(std::string_view name) {
    auto r = load_profile(shipped(name));
    if (!r) {
        ADD_FAILURE() << r.error().front().to_string();
        return nullptr;
    }
    return *r;
}

attr_path path(std::string schema, std::string name, std::string sub = "") {
    return attr_path{std::move(schema), std::move(name), std::move(sub)};
}

TEST(ProfileShipped, DefaultProfileLoads) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "openldap-inetorgperson");
    EXPECT_EQ(p->user.object_classes,
              (std::vector<std::string>{"inetOrgPerson", "scimBridgeObject"}));
    EXPECT_EQ(p->user.search_filter.str(),
              "(&(objectClass=inetOrgPerson)(!(scimCreatePending=*)))");
    ASSERT_TRUE(p->user.pending_create);
    EXPECT_EQ(p->user.pending_create->ldap, "scimCreatePending");
    EXPECT_FALSE(p->group.pending_create);
    EXPECT_EQ(p->user.rdn_attribute, "uid");
    EXPECT_EQ(p->user.id_attribute, "entryUUID");
    ASSERT_TRUE(p->user.active);
    EXPECT_EQ(p->user.active->how, active_settings::strategy::ppolicy_lock);
    EXPECT_EQ(p->user.active->inactive_value, "000001010000Z");
    ASSERT_TRUE(p->user.password);
    EXPECT_EQ(p->user.password->how, password_settings::strategy::password_modify);
    EXPECT_EQ(p->user.password->create, password_settings::on_create::in_add);
    EXPECT_EQ(p->user.deletion.how, delete_settings::mode::remove);
    ASSERT_TRUE(p->group.members);
    EXPECT_EQ(p->group.members->placeholder_dn.str(),
              "cn=empty-membership-placeholder,dc=example,dc=org");
    EXPECT_EQ(p->group.object_classes,
              (std::vector<std::string>{"groupOfNames", "scimBridgeObject"}));
}

TEST(ProfileShipped, ClasslarkProfileLoadsWithRolesAndExtension) {
    const auto p = load("classlark");
    ASSERT_TRUE(p);
    ASSERT_TRUE(p->user.user_type);
    const auto& ut = *p->user.user_type;
    EXPECT_EQ(ut.values, (std::vector<std::string>{"Staff", "Event Manager", "Finance Manager",
                                                   "Administrator"}));
    EXPECT_TRUE(ut.required);
    EXPECT_TRUE(ut.role_groups);
    ASSERT_NE(ut.canonical("Event Manager"), nullptr);
    EXPECT_EQ(ut.canonical("event manager"), nullptr);  // case-sensitive
    const auto* user_type = p->user.find(path("", "userType"));
    ASSERT_NE(user_type, nullptr);
    EXPECT_EQ(user_type->kind, behaviour::user_type);
    EXPECT_EQ(user_type->canonical_values, ut.values);
    EXPECT_TRUE(user_type->required);
    const auto* user_name = p->user.find(path("", "userName"));
    ASSERT_NE(user_name, nullptr);
    ASSERT_TRUE(user_name->pattern);
    const std::string ext = "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User";
    const auto* subjects = p->user.find(path(ext, "subjects"));
    ASSERT_NE(subjects, nullptr);
    EXPECT_EQ(subjects->ldap, "scimSubjects");
    EXPECT_FALSE(subjects->multi_valued) << "one string: \"Mathematics, Physics\"";
    EXPECT_EQ(p->user.find(path(ext, "meetingUrl"))->ldap, "labeledURI");
    EXPECT_EQ(p->user.find(path(ext, "room"))->ldap, "roomNumber");
}

TEST(ProfileLookup, ScimPathIsCaseInsensitive) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const auto* m = p->user.find(path("", "USERNAME"));
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->ldap, "uid");
    EXPECT_TRUE(m->required);
    EXPECT_EQ(m->uniqueness_, uniqueness::server);
    EXPECT_EQ(
        p->user.find(path("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER", "name", "GIVENNAME"))->ldap,
        "givenName");
}

TEST(ProfileLookup, SelectedElementIsFoundByItsSelector) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const value_selector work{"Type", "WORK"};
    const auto* mail = p->user.find(path("", "emails", "value"), &work);
    ASSERT_NE(mail, nullptr);
    EXPECT_EQ(mail->ldap, "mail");
    EXPECT_TRUE(mail->primary);
    const value_selector mobile{"type", "mobile"};
    EXPECT_EQ(p->user.find(path("", "phoneNumbers", "value"), &mobile)->ldap, "mobile");
    EXPECT_EQ(p->user.find(path("", "emails", "value")), nullptr);  // no unselected email mapping
}

TEST(ProfileLookup, FindAllCollectsSubAttributesAndSelectedElements) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->user.find_all(path("", "name")).size(), 5u);
    const auto phones = p->user.find_all(path("", "phonenumbers", "value"));
    ASSERT_EQ(phones.size(), 3u);
    EXPECT_EQ(phones[0]->ldap, "telephoneNumber");
    EXPECT_EQ(phones[1]->ldap, "mobile");
    EXPECT_EQ(phones[2]->ldap, "facsimileTelephoneNumber");
}

TEST(ProfileLookup, ExtensionAttributeIsFoundWithAndWithoutUrn) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const std::string ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const auto* manager = p->user.find(path(ent, "manager", "value"));
    ASSERT_NE(manager, nullptr);
    EXPECT_EQ(manager->ldap, "manager");
    EXPECT_EQ(manager->type, value_type::reference);
    EXPECT_EQ(manager->reference_types, std::vector<std::string>{"User"});
    EXPECT_EQ(p->user.find(path("", "employeeNumber")), p->user.find(path(ent, "employeeNumber")));
    EXPECT_EQ(p->user.find(path(ent, "department"))->ldap, "departmentNumber");
}

TEST(ProfileLookup, ByLdapAttributeIsCaseInsensitive) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const auto& by_mail = p->user.find_by_ldap("MAIL");
    ASSERT_EQ(by_mail.size(), 1u);
    EXPECT_EQ(by_mail.front()->scim.name, "emails");
    EXPECT_EQ(p->group.find_by_ldap("cn").front()->scim.name, "displayName");
    EXPECT_TRUE(p->user.find_by_ldap("uidNumber").empty());
}

TEST(ProfileLookup, CommonAndSpecialAttributesAreSynthesised) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const auto* id = p->user.find(path("", "id"));
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->ldap, "entryUUID");
    EXPECT_EQ(id->mutability_, mutability::read_only);
    EXPECT_EQ(id->returned_, returned::always);
    const auto* modified = p->user.find(path("", "meta", "lastModified"));
    ASSERT_NE(modified, nullptr);
    EXPECT_EQ(modified->ldap, "modifyTimestamp");
    EXPECT_EQ(modified->type, value_type::date_time);
    const auto* password = p->user.find(path("", "password"));
    ASSERT_NE(password, nullptr);
    EXPECT_EQ(password->mutability_, mutability::write_only);
    EXPECT_EQ(password->returned_, returned::never);
    const auto* groups = p->user.find(path("", "groups", "value"));
    ASSERT_NE(groups, nullptr);
    EXPECT_EQ(groups->ldap, "memberOf");
    EXPECT_EQ(groups->mutability_, mutability::read_only);
    EXPECT_EQ(p->user.find(path("", "active"))->kind, behaviour::active);
    const auto* members = p->group.find(path("", "members", "value"));
    ASSERT_NE(members, nullptr);
    EXPECT_EQ(members->ldap, "member");
    EXPECT_TRUE(members->multi_valued);
}

TEST(ProfileLookup, ReadAttributeListHasNoWriteOnlyAttribute) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const auto& all = p->user.all_ldap_attributes();
    EXPECT_NE(std::find(all.begin(), all.end(), "entryUUID"), all.end());
    EXPECT_NE(std::find(all.begin(), all.end(), "pwdAccountLockedTime"), all.end());
    EXPECT_EQ(std::find(all.begin(), all.end(), "userPassword"), all.end());
}

TEST(ProfileSecrets, PasswordAttributesAreSecretAndOrdinaryOnesAreNot) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->user.is_secret("userPassword"));
    EXPECT_TRUE(p->user.is_secret("USERPASSWORD;binary")) << "case and options do not matter";
    EXPECT_TRUE(p->group.is_secret("authPassword")) << "common password attributes always are";
    EXPECT_FALSE(p->user.is_secret("title"));
    EXPECT_FALSE(p->user.is_secret("mail"));
    EXPECT_FALSE(p->is_secret("member"));
}

TEST(ProfileSecrets, AMappingMarkedSecretKeepsItsValuesOutOfTheAuditLog) {
    auto o = shipped_json("openldap-inetorgperson");
    for (auto& a : user_attributes(o)) {
        if (a.as_object().at("ldap") == "employeeNumber") {
            a.as_object()["secret"] = true;
        }
    }
    const auto p = parse(o);
    ASSERT_TRUE(p) << p.error().front().to_string();
    EXPECT_TRUE((*p)->user.is_secret("employeeNumber"));
    EXPECT_TRUE((*p)->is_secret("employeeNumber"));
    EXPECT_FALSE((*p)->user.is_secret("departmentNumber"));
}

TEST(ProfileSecrets, WriteOnlyMappingIsSecret) {
    auto o = shipped_json("openldap-inetorgperson");
    for (auto& a : user_attributes(o)) {
        if (a.as_object().at("ldap") == "scimCostCenter") {
            a.as_object()["mutability"] = "writeOnly";
            a.as_object()["returned"] = "never";
        }
    }
    const auto p = parse(o);
    ASSERT_TRUE(p) << p.error().front().to_string();
    EXPECT_TRUE((*p)->user.is_secret("scimCostCenter"));
}

TEST(ProfileTemplate, FirstResolvableAlternativeWins) {
    const auto p = load("openldap-inetorgperson");
    ASSERT_TRUE(p);
    const auto* cn = p->user.find_template("CN");
    ASSERT_NE(cn, nullptr);
    std::map<std::string, std::string> values = {
        {"givenName", "Ada"}, {"familyName", "Lovelace"}, {"userName", "ada"}};
    const auto value_of = [&](const attribute_mapping& m) -> std::optional<std::string> {
        const auto it =
            values.find(m.scim.sub_attribute.empty() ? m.scim.name : m.scim.sub_attribute);
        return it == values.end() ? std::nullopt : std::optional(it->second);
    };
    EXPECT_EQ(render(*cn, value_of), "Ada Lovelace");
    values.erase("familyName");
    EXPECT_EQ(render(*cn, value_of), "ada");
    values["formatted"] = "Augusta Ada King";
    EXPECT_EQ(render(*cn, value_of), "Augusta Ada King");
}

TEST(ProfileValidation, UnknownMappingKeySuggestsSnakeCase) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["multiValued"] = true;
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].multiValued",
                         "did you mean \"multi_valued\"");
}

TEST(ProfileValidation, UnknownPasswordOnCreateIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["password"].as_object()["on_create"] = "inadd";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.password.on_create", "did you mean \"inAdd\"");
}

TEST(ProfileValidation, PasswordOnCreateDefaultsToPasswordModify) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["password"].as_object().erase("on_create");
    const auto r = parse(p);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)->user.password->create, password_settings::on_create::password_modify);
}

TEST(ProfileValidation, WithoutPendingCreateTheSearchFilterIsAsWritten) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p).erase("pending_create");
    const auto r = parse(p);
    ASSERT_TRUE(r);
    EXPECT_FALSE((*r)->user.pending_create);
    EXPECT_EQ((*r)->user.search_filter.str(), "(objectClass=inetOrgPerson)");
}

TEST(ProfileValidation, UnknownTypeIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["type"] = "strin";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].type",
                         "unknown type \"strin\" (did you mean \"string\"?)");
}

TEST(ProfileValidation, UnknownMutabilityIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["mutability"] = "readwrite";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].mutability",
                         "did you mean \"readWrite\"");
}

TEST(ProfileValidation, TwoWritableMappingsToOneLdapAttributeAreRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).push_back(
        json::object{{"scim", "emails[type eq \"home\"].value"}, {"ldap", "MAIL"}});
    const auto index = user_attributes(p).size() - 1;
    EXPECT_PROFILE_ERROR(
        parse(p), "resources.User.attributes[" + std::to_string(index) + "].ldap",
        "LDAP attribute MAIL is already written by emails[type eq \"work\"].value");
}

TEST(ProfileValidation, ReadOnlySecondMappingToOneLdapAttributeIsAccepted) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).push_back(json::object{
        {"scim", "emails[type eq \"home\"].value"}, {"ldap", "mail"}, {"mutability", "readOnly"}});
    EXPECT_TRUE(parse(p));
}

TEST(ProfileValidation, SameScimPathTwiceIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).push_back(json::object{{"scim", "Title"}, {"ldap", "description"}});
    const auto index = user_attributes(p).size() - 1;
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[" + std::to_string(index) + "].scim",
                         "Title is already mapped");
}

TEST(ProfileValidation, UnmappedUserNameIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).erase(user_attributes(p).begin());
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes", "userName is required");
}

TEST(ProfileValidation, UnmappedGroupDisplayNameIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    auto& attributes = group(p)["attributes"].as_array();
    attributes.erase(attributes.begin());
    EXPECT_PROFILE_ERROR(parse(p), "resources.Group.attributes", "displayName is required");
}

TEST(ProfileValidation, TemplateNamingUnknownPathIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["templates"].as_object()["sn"] = json::array{"{name.familyname}", "{nickname2}"};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.templates.sn[1]",
                         "placeholder {nickname2} names no SCIM attribute");
}

TEST(ProfileValidation, TemplateMustNotCopyThePassword) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["templates"].as_object()["description"] = json::array{"{password}"};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.templates.description[0]", "write-only");
}

TEST(ProfileValidation, InvalidLdapAttributeNameIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["ldap"] = "common name";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].ldap",
                         "\"common name\" is not an LDAP attribute name");
}

TEST(ProfileValidation, InvalidObjectClassNameIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["object_classes"] = json::array{"inetOrgPerson", "scim_bridge"};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.object_classes[1]", "not an objectClass name");
}

TEST(ProfileValidation, MalformedExtensionUrnIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["extensions"].as_array()[0].as_object()["schema"] = "enterprise:2.0:User";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.extensions[0].schema", "is not a schema URN");
}

TEST(ProfileValidation, MappingIntoUndeclaredExtensionIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).push_back(
        json::object{{"scim", "urn:example:params:scim:schemas:extension:acme:1.0:User:badge"},
                     {"ldap", "carLicense"}});
    const auto index = user_attributes(p).size() - 1;
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[" + std::to_string(index) + "].scim",
                         "add it to \"extensions\"");
}

TEST(ProfileValidation, MisspeltCoreAttributeIsRefusedWithSuggestion) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["scim"] = "name.givenNmae";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].scim",
                         "did you mean \"givenName\"");
}

TEST(ProfileValidation, ComplexAttributeWithoutSubAttributeIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["scim"] = "emails";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].scim", "emails is complex");
}

TEST(ProfileValidation, SelectorOtherThanEqIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["scim"] = "emails[type ne \"work\"].value";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].scim", "[attribute eq \"value\"]");
}

TEST(ProfileValidation, UnparsableScimPathIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["scim"] = "emails[type eq \"work\".value";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[2].scim",
                         "is not a SCIM attribute path");
}

TEST(ProfileValidation, SectionOwnedAttributeInListIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p).push_back(json::object{{"scim", "active"}, {"ldap", "description"}});
    const auto index = user_attributes(p).size() - 1;
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[" + std::to_string(index) + "].scim",
                         "mapped by the \"active\" section");
}

TEST(ProfileValidation, DuplicatedUserTypeValuesAreRefused) {
    auto p = shipped_json("classlark");
    user(p)["user_type"].as_object()["values"] = json::array{"Staff", "Administrator", "Staff"};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.user_type.values[2]", "duplicates values[0]");
}

TEST(ProfileValidation, EmptyUserTypeValueIsRefused) {
    auto p = shipped_json("classlark");
    user(p)["user_type"].as_object()["values"] = json::array{"Staff", ""};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.user_type.values[1]", "empty userType value");
}

TEST(ProfileValidation, EmptyUserTypeValueListIsRefused) {
    auto p = shipped_json("classlark");
    user(p)["user_type"].as_object()["values"] = json::array{};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.user_type.values",
                         "at least one userType value");
}

TEST(ProfileValidation, DefaultRoleOutsideValuesIsRefused) {
    auto p = shipped_json("classlark");
    user(p)["user_type"].as_object()["default_roles"] = json::array{"staff"};
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.user_type.default_roles[0]", "not one of");
}

TEST(ProfileValidation, UserSectionOnGroupIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    group(p)["active"] = json::object{{"strategy", "ppolicyLock"}};
    EXPECT_PROFILE_ERROR(parse(p), "resources.Group.active", "only the User resource");
}

TEST(ProfileActive, TheShippedProfilesPutAnEndTimeMarkBesideTheLock) {
    auto p = shipped_json("openldap-inetorgperson");
    const auto r = parse(p);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)->user.active->end_ldap, "pwdEndTime");
    EXPECT_EQ((*r)->user.active->end_value, "20000101000000Z");
    // A read of active alone asks for both.
    const auto fields = projection::parse((*r)->user, "active", "");
    const auto read = fields.ldap_attributes((*r)->user);
    EXPECT_NE(std::find(read.begin(), read.end(), "pwdEndTime"), read.end());
    const auto& by_default = (*r)->user.default_read_attributes();
    EXPECT_NE(std::find(by_default.begin(), by_default.end(), "pwdEndTime"), by_default.end());
}

TEST(ProfileActive, AProfileThatNamesNoEndAttributeWritesNoMark) {
    // Profiles written before the mark existed keep working on servers without pwdEndTime.
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["active"].as_object().erase("end_ldap");
    const auto r = parse(p);
    ASSERT_TRUE(r);
    EXPECT_TRUE((*r)->user.active->end_ldap.empty());
    const auto fields = projection::parse((*r)->user, "active", "");
    const auto read = fields.ldap_attributes((*r)->user);
    EXPECT_EQ(std::find(read.begin(), read.end(), "pwdEndTime"), read.end());
}

TEST(ProfileActive, ALockThatIsTheEndTimeHasNoSecondMark) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["active"] = json::object{
        {"strategy", "ppolicyLock"}, {"ldap", "pwdEndTime"}, {"inactive_value", "20000101000000Z"}};
    const auto r = parse(p);
    ASSERT_TRUE(r);
    EXPECT_TRUE((*r)->user.active->end_ldap.empty());
}

TEST(ProfileValidation, UnknownActiveStrategyIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["active"].as_object()["strategy"] = "ppolicylock";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.active.strategy",
                         "did you mean \"ppolicyLock\"");
}

TEST(ProfileValidation, InvalidPlaceholderDnIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    group(p)["members"].as_object()["placeholder_dn"] = "empty placeholder";
    EXPECT_PROFILE_ERROR(parse(p), "resources.Group.members.placeholder_dn", "is not a DN");
}

TEST(ProfileValidation, InvalidPatternIsRefused) {
    auto p = shipped_json("classlark");
    user_attributes(p)[0].as_object()["pattern"] = "^[a-z";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.attributes[0].pattern", "regular expression");
}

TEST(ProfileValidation, RdnAttributeNobodyWritesIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    user(p)["rdn_attribute"] = "employeeNumber2";
    EXPECT_PROFILE_ERROR(parse(p), "resources.User.rdn_attribute", "produces the RDN attribute");
}

TEST(ProfileValidation, ErrorsInBothResourcesAreAllReported) {
    auto p = shipped_json("openldap-inetorgperson");
    user_attributes(p)[2].as_object()["type"] = "text";
    group(p)["attributes"].as_array()[1].as_object()["ldap"] = "scim external id";
    const auto r = parse(p);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().size(), 2u);
}

// --- further resource types (docs/mapping.md, "Further resource types") ----------------------

json::object device_section() {
    return json::parse(R"({
        "schema": "urn:example:params:scim:schemas:core:2.0:Device",
        "base": "users",
        "object_classes": ["device"],
        "rdn_attribute": "cn",
        "attributes": [
            {"scim": "displayName", "ldap": "cn", "required": true, "uniqueness": "server"},
            {"scim": "serialNumber", "ldap": "serialNumber"}
        ]})")
        .as_object();
}

json::object with_device(json::object section = device_section()) {
    auto p = shipped_json("openldap-inetorgperson");
    p["resources"].as_object()["Device"] = std::move(section);
    return p;
}

TEST(ProfileFurtherTypes, SectionBecomesAResourceTypeWithItsEndpointAndSchema) {
    const auto r = parse(with_device());
    ASSERT_TRUE(r) << r.error().front().to_string();
    const auto& p = **r;
    ASSERT_EQ(p.more.size(), 1u);
    const auto* device = p.find_resource("device");
    ASSERT_NE(device, nullptr);
    EXPECT_EQ(device->name, "Device");
    EXPECT_EQ(device->endpoint, "/Devices");
    EXPECT_EQ(device->schema, "urn:example:params:scim:schemas:core:2.0:Device");
    EXPECT_EQ(device->base, base_kind::users);
    EXPECT_EQ(device->search_filter.str(), "(objectClass=device)");
    EXPECT_FALSE(device->members);
    const auto* serial = device->find(path("", "serialNumber"));
    ASSERT_NE(serial, nullptr);
    EXPECT_EQ(serial->ldap, "serialNumber");
    ASSERT_EQ(p.resources().size(), 3u);
    EXPECT_EQ(p.resources()[2], device);
    EXPECT_EQ(p.find_resource("User"), &p.user);
    EXPECT_EQ(p.find_resource("Printer"), nullptr);
}

TEST(ProfileFurtherTypes, EndpointMayBeNamed) {
    auto section = device_section();
    section["endpoint"] = "/Hardware";
    const auto r = parse(with_device(section));
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ((*r)->find_resource("Device")->endpoint, "/Hardware");
}

TEST(ProfileFurtherTypes, SchemaIsRequired) {
    auto section = device_section();
    section.erase("schema");
    EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.schema", "");
}

TEST(ProfileFurtherTypes, CoreUserSchemaIsRefused) {
    auto section = device_section();
    section["schema"] = "urn:ietf:params:scim:schemas:core:2.0:User";
    EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.schema", "belongs to User");
}

TEST(ProfileFurtherTypes, BaseIsRequired) {
    auto section = device_section();
    section.erase("base");
    EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.base",
                         "users, groups or roles");
}

TEST(ProfileFurtherTypes, EndpointOfScimItselfIsRefused) {
    auto section = device_section();
    section["endpoint"] = "/schemas";
    EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.endpoint", "taken by SCIM");
}

TEST(ProfileFurtherTypes, EndpointTheBridgeAnswersBeforeRoutingIsRefused) {
    for (const char* path : {"/metrics", "/readyz", "/oauth"}) {
        auto section = device_section();
        section["endpoint"] = path;
        EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.endpoint",
                             "taken by SCIM");
    }
}

TEST(ProfileFurtherTypes, NamesDifferingOnlyInCaseAreRefused) {
    auto p = with_device();
    auto second = device_section();
    second["endpoint"] = "/Gadgets";
    p["resources"].as_object()["DEVICE"] = second;
    EXPECT_PROFILE_ERROR(parse(p), "resources.DEVICE", "only in case");
}

TEST(ProfileFurtherTypes, UserSectionOnAFurtherTypeIsRefused) {
    auto section = device_section();
    section["password"] = json::object{{"strategy", "passwordModify"}};
    EXPECT_PROFILE_ERROR(parse(with_device(section)), "resources.Device.password",
                         "only the User resource");
}

TEST(ProfileFurtherTypes, MembersSectionIsAccepted) {
    auto section = device_section();
    section["object_classes"] = json::array{"groupOfNames"};
    section["members"] = json::object{{"placeholder_dn", "cn=placeholder,dc=example,dc=org"}};
    const auto r = parse(with_device(section));
    ASSERT_TRUE(r) << r.error().front().to_string();
    const auto* device = (*r)->find_resource("Device");
    ASSERT_TRUE(device->members);
    EXPECT_NE(device->find(path("", "members", "value")), nullptr);
}

TEST(ProfileFurtherTypes, MisspeltUserIsNotTakenForANewType) {
    auto p = shipped_json("openldap-inetorgperson");
    p["resources"].as_object()["Users"] = user(p);
    EXPECT_PROFILE_ERROR(parse(p), "resources.Users", "did you mean \"User\"");
}

TEST(ProfileFurtherTypes, NameMustBeACapitalisedWord) {
    auto p = shipped_json("openldap-inetorgperson");
    p["resources"].as_object()["network-device"] = device_section();
    EXPECT_PROFILE_ERROR(parse(p), "resources.network-device", "capital letter");
}

TEST(ProfileFurtherTypes, ScimResourceNameIsRefused) {
    auto p = shipped_json("openldap-inetorgperson");
    p["resources"].as_object()["Schema"] = device_section();
    EXPECT_PROFILE_ERROR(parse(p), "resources.Schema", "SCIM resource name already");
}

}  // namespace
}  // namespace scimldap::mapping
