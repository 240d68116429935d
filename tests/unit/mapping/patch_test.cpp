// PATCH engine (mapping/patch.hpp): one row per behaviour, starting resource + PatchOp body →
// resulting resource or error, against the shipped profiles. Semantics: docs/patch.md.
#include "mapping/patch.hpp"
#include "mapping/patch_request.hpp"
#include "mapping/profile_loader.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;
using scim::errc;

std::string shipped_path(std::string_view name) {
    return (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles" / name).string() +
           ".json";
}

std::shared_ptr<const profile> must_load(profile_result r) {
    if (!r) {
        const auto errors = r.error();
        std::string all;
        for (const auto& e : errors) {
            all += e.to_string() + "\n";
        }
        throw std::runtime_error("profile did not load:\n" + all);
    }
    return *r;
}

// The default profile with an immutable externalId, a characteristic the shipped profiles do
// not have.
std::shared_ptr<const profile> custom_profile() {
    std::ifstream in(shipped_path("openldap-inetorgperson"));
    auto p = json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
    auto& attributes = p["resources"].as_object()["User"].as_object()["attributes"].as_array();
    for (auto& a : attributes) {
        if (a.as_object()["scim"] == "externalId") {
            a.as_object()["mutability"] = "immutable";
        }
    }
    return must_load(parse_profile(json::serialize(p), "custom.json"));
}

// The classlark profile with subjects multi-valued, as it was before the ClassLark document's
// single string won: the simple multi-valued attribute the PATCH cases need.
std::shared_ptr<const profile> multi_subjects_profile() {
    std::ifstream in(shipped_path("classlark"));
    auto p = json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
    auto& attributes = p["resources"].as_object()["User"].as_object()["attributes"].as_array();
    for (auto& a : attributes) {
        if (a.as_object()["ldap"] == "scimSubjects") {
            a.as_object()["multi_valued"] = true;
        }
    }
    return must_load(parse_profile(json::serialize(p), "multi-subjects.json"));
}

const profile& profile_named(const std::string& name) {
    static const std::map<std::string, std::shared_ptr<const profile>> profiles = {
        {"default", must_load(load_profile(shipped_path("openldap-inetorgperson")))},
        {"classlark", must_load(load_profile(shipped_path("classlark")))},
        {"custom", custom_profile()},
        {"multi-subjects", multi_subjects_profile()},
    };
    return *profiles.at(name);
}

/// One row: a starting resource, a PatchOp body, and either the result or the error.
struct patch_case {
    std::string name;
    std::string profile;   // default, classlark, custom, multi-subjects
    std::string resource;  // User, Group
    std::string start;
    std::string body;
    std::string expected;  // the patched resource; empty when an error is expected
    errc error = errc::internal;
    std::string detail = {};  // a substring of the error's detail
};

std::ostream& operator<<(std::ostream& os, const patch_case& c) {
    return os << c.name;
}

// PatchOp bodies are written as their Operations array only.
std::string patch(std::string_view operations) {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
           std::string(operations) + "}";
}

scim::result<json::object> run(const patch_case& c) {
    const auto& p = profile_named(c.profile);
    const auto& resource = c.resource == "Group" ? p.group : p.user;
    auto ops = parse_patch_request(json::parse(c.body));
    if (!ops) {
        return ops.error();
    }
    return apply_patch(resource, json::parse(c.start).as_object(), *ops);
}

class Patch : public ::testing::TestWithParam<patch_case> {};

TEST_P(Patch, GivesTheExpectedResourceOrError) {
    const auto& c = GetParam();
    const auto result = run(c);
    if (c.expected.empty()) {
        ASSERT_FALSE(result) << "expected an error, got " << json::serialize(*result);
        const auto e = result.error();
        EXPECT_EQ(scim::to_wire(e.code).scim_type, scim::to_wire(c.error).scim_type) << e.detail;
        EXPECT_NE(e.detail.find(c.detail), std::string::npos)
            << "detail \"" << e.detail << "\" lacks \"" << c.detail << "\"";
        return;
    }
    if (!result) {
        const auto e = result.error();
        FAIL() << "unexpected error " << scim::to_wire(e.code).scim_type << ": " << e.detail;
    }
    EXPECT_EQ(json::value(*result), json::parse(c.expected))
        << "got      " << json::serialize(*result) << "\nexpected " << c.expected;
}

// Starting resources, as GET shows them.
const std::string user = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1",
 "userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"},"displayName":"Babs",
 "active":true,"emails":[{"type":"work","value":"bj@example.com","primary":true}],
 "meta":{"resourceType":"User","version":"W/\"1\""}})";
const std::string enterprise_urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const std::string group = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1",
 "displayName":"Staff","members":[{"value":"u1","display":"Babs"},{"value":"u2"}]})";

// user with `changes` merged in at the top level (null removes a key), as JSON text.
std::string user_with(std::string_view changes) {
    auto u = json::parse(user).as_object();
    const auto parsed = json::parse(changes);  // kept: the loop reads into it
    for (const auto& [k, v] : parsed.as_object()) {
        if (v.is_null()) {
            u.erase(k);
        } else {
            u[k] = v;
        }
    }
    return json::serialize(u);
}

std::string group_with(std::string_view changes) {
    auto g = json::parse(group).as_object();
    const auto parsed = json::parse(changes);  // kept: the loop reads into it
    for (const auto& [k, v] : parsed.as_object()) {
        if (v.is_null()) {
            g.erase(k);
        } else {
            g[k] = v;
        }
    }
    return json::serialize(g);
}

const patch_case cases[] = {
    // ---- the PatchOp message ----
    {"MissingOperationsIsInvalidSyntax", "default", "User", user,
     R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]})", "", errc::invalid_syntax,
     "Operations"},
    {"EmptyOperationsIsInvalidSyntax", "default", "User", user, patch("[]"), "",
     errc::invalid_syntax, "non-empty \"Operations\""},
    {"MissingPatchOpSchemaIsInvalidSyntax", "default", "User", user,
     R"({"Operations":[{"op":"replace","path":"title","value":"x"}]})", "", errc::invalid_syntax,
     "urn:ietf:params:scim:api:messages:2.0:PatchOp"},
    {"UnknownOpIsInvalidSyntax", "default", "User", user,
     patch(R"([{"op":"move","path":"title","value":"x"}])"), "", errc::invalid_syntax,
     "unknown op \"move\""},
    {"RemoveWithoutPathIsNoTarget", "default", "User", user, patch(R"([{"op":"remove"}])"), "",
     errc::no_target, "Operations[0]: remove needs a \"path\""},
    {"AddWithoutValueIsInvalidValue", "default", "User", user,
     patch(R"([{"op":"add","path":"title"}])"), "", errc::invalid_value, "add needs a \"value\""},
    {"MalformedPathIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails[type eq \"work\"","value":"x"}])"), "",
     errc::invalid_path, "path \"emails[type eq \"work\"\""},
    {"OperationsAndOpKeysAreCaseInsensitive", "default", "User", user,
     R"({"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
         "operations":[{"OP":"replace","PATH":"title","VALUE":"Boss"}]})",
     user_with(R"({"title":"Boss"})")},

    // ---- simple single-valued attributes ----
    {"EntraCapitalisedReplaceSetsDisplayName", "default", "User", user,
     patch(R"([{"op":"Replace","path":"displayName","value":"Barb"}])"),
     user_with(R"({"displayName":"Barb"})")},
    {"EntraAddOnAbsentSingleValuedSetsIt", "default", "User", user,
     patch(R"([{"op":"Add","path":"nickName","value":"Babs"}])"),
     user_with(R"({"nickName":"Babs"})")},
    {"AddOnPresentSingleValuedReplacesIt", "default", "User", user,
     patch(R"([{"op":"add","path":"displayName","value":"B. Jensen"}])"),
     user_with(R"({"displayName":"B. Jensen"})")},
    {"RemoveSimpleAttribute", "default", "User", user,
     patch(R"([{"op":"remove","path":"displayName"}])"), user_with(R"({"displayName":null})")},
    {"RemoveAbsentAttributeIsNoOp", "default", "User", user,
     patch(R"([{"op":"remove","path":"title"}])"), user},
    {"EntraReplaceWithNullRemovesAttribute", "default", "User", user,
     patch(R"([{"op":"Replace","path":"displayName","value":null}])"),
     user_with(R"({"displayName":null})")},
    {"EntraReplaceWithEmptyStringRemovesAttribute", "default", "User", user,
     patch(R"([{"op":"Replace","path":"displayName","value":""}])"),
     user_with(R"({"displayName":null})")},
    {"OneElementListForSingleValuedIsThatValue", "default", "User", user,
     patch(R"([{"op":"replace","path":"title","value":["Boss"]}])"),
     user_with(R"({"title":"Boss"})")},
    {"TwoValuesForSingleValuedIsInvalidValue", "default", "User", user,
     patch(R"([{"op":"replace","path":"title","value":["Boss","Chief"]}])"), "",
     errc::invalid_value, "\"title\" is single-valued"},
    {"PathNamesAreCaseInsensitiveResultIsCanonical", "default", "User",
     user_with(R"({"displayName":null,"DISPLAYNAME":"old"})"),
     patch(R"([{"op":"replace","path":"DisplayName","value":"Barb"}])"),
     user_with(R"({"displayName":"Barb"})")},
    {"NumberForStringAttributeIsInvalidValue", "default", "User", user,
     patch(R"([{"op":"replace","path":"title","value":42}])"), "", errc::invalid_value,
     "\"title\" must be a string"},
    {"EntraActiveFalseStringBecomesBoolean", "default", "User", user,
     patch(R"([{"op":"Replace","path":"active","value":"False"}])"),
     user_with(R"({"active":false})")},
    {"EntraActiveTrueStringBecomesBoolean", "default", "User", user_with(R"({"active":false})"),
     patch(R"([{"op":"Replace","path":"active","value":"True"}])"),
     user_with(R"({"active":true})")},
    {"ActiveNonBooleanIsInvalidValue", "default", "User", user,
     patch(R"([{"op":"replace","path":"active","value":"maybe"}])"), "", errc::invalid_value,
     "\"active\" must be a boolean"},
    {"JumpCloudOneReplacePerAttribute", "default", "User", user,
     patch(R"([{"op":"replace","path":"name.givenName","value":"Barb"},
               {"op":"replace","path":"name.familyName","value":"Jensen-Smith"},
               {"op":"replace","path":"active","value":false}])"),
     user_with(R"({"name":{"givenName":"Barb","familyName":"Jensen-Smith"},"active":false})")},

    // ---- sub-attributes of a complex attribute ----
    {"ReplaceSubAttribute", "default", "User", user,
     patch(R"([{"op":"replace","path":"name.givenName","value":"Barb"}])"),
     user_with(R"({"name":{"givenName":"Barb","familyName":"Jensen"}})")},
    {"AddSubAttributeCreatesTheComplexAttribute", "default", "User", user_with(R"({"name":null})"),
     patch(R"([{"op":"add","path":"name.givenName","value":"Barb"}])"),
     user_with(R"({"name":{"givenName":"Barb"}})")},
    {"RemoveSubAttributeKeepsTheOthers", "default", "User", user,
     patch(R"([{"op":"remove","path":"name.givenName"}])"),
     user_with(R"({"name":{"familyName":"Jensen"}})")},
    {"RemoveLastSubAttributeRemovesTheAttribute", "default", "User",
     user_with(R"({"name":{"givenName":"Barbara"}})"),
     patch(R"([{"op":"remove","path":"name.givenName"}])"), user_with(R"({"name":null})")},
    {"ReplaceComplexMergesSubAttributes", "default", "User", user,
     patch(R"([{"op":"replace","path":"name","value":{"givenName":"Barb","formatted":"Barb J"}}])"),
     user_with(R"({"name":{"givenName":"Barb","familyName":"Jensen","formatted":"Barb J"}})")},
    {"UnmappedSubAttributeIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"name.middleName","value":"Ann"}])"), "", errc::invalid_path,
     "\"name.middleName\" is not mapped"},
    {"SubAttributeOfSimpleAttributeIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"userName.first","value":"x"}])"), "", errc::invalid_path,
     "\"userName\" has no sub-attributes"},
    {"UnknownSubAttributeInComplexValueIsInvalidValue", "default", "User", user,
     patch(R"([{"op":"replace","path":"name","value":{"givenNmae":"Barb"}}])"), "",
     errc::invalid_value, "no sub-attribute \"givenNmae\""},

    // ---- URN-qualified paths ----
    {"UrnPathCreatesTheExtensionAndListsItsSchema", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Sales"}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})")},
    {"ExtensionAttributeWithoutUrnIsFound", "default", "User", user,
     patch(R"([{"op":"add","path":"employeeNumber","value":"701984"}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984"}})")},
    {"RemovingTheLastExtensionAttributeDropsTheExtension", "default", "User",
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})"),
     patch(
         R"([{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}])"),
     user},
    {"UrnPathIsCaseInsensitive", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:COSTCENTER","value":"4130"}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"4130"}})")},
    {"CoreUrnQualifiedSubAttributePath", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName","value":"Smith"}])"),
     user_with(R"({"name":{"givenName":"Barbara","familyName":"Smith"}})")},
    {"UnknownSchemaUrnIsInvalidPath", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:badge","value":"1"}])"),
     "", errc::invalid_path, "is not one this resource type has"},
    {"ExtensionOfAnotherProfileIsInvalidPath", "default", "User", user,
     patch(
         R"([{"op":"add","path":"urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User:room","value":"B12"}])"),
     "", errc::invalid_path, "school-event-planner"},
    {"EntraManagerAddWithRefListKeepsOnlyTheId", "default", "User", user,
     patch(
         R"([{"op":"Add","path":"manager","value":[{"$ref":"https://idp.example/Users/m1","value":"m1"}]}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"}}})")},
    {"ManagerAsBareIdStringByUrnPath", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m2"}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m2"}}})")},
    {"ManagerValueSubPathReplacesTheReference", "default", "User",
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1","displayName":"Old Boss"}}})"),
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"m3"}])"),
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m3"}}})")},
    {"EntraManagerRemovedByReplaceWithEmptyValue", "default", "User",
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"},"department":"Sales"}})"),
     patch(R"([{"op":"Replace","path":"manager","value":""}])"),
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})")},
    {"ManagerWithEmptyIdObjectIsRemoved", "default", "User",
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"},"department":"Sales"}})"),
     patch(R"([{"op":"replace","path":"manager","value":{"value":""}}])"),
     user_with(
         R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})")},
    {"RemoveWholeExtensionByItsUrn", "default", "User",
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"},"department":"Sales"}})"),
     patch(
         R"([{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}])"),
     user},
    {"ReplaceByExtensionUrnPathWithObject", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"division":"EMEA","Organization":"Acme"}}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"division":"EMEA","organization":"Acme"}})")},

    // ---- value-filtered paths ----
    {"EntraReplaceWorkEmailValue", "default", "User", user,
     patch(
         R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"barbara@example.com"}])"),
     user_with(R"({"emails":[{"type":"work","value":"barbara@example.com","primary":true}]})")},
    {"EntraReplaceWorkEmailValueCreatesTheElementWhenAbsent", "default", "User",
     user_with(R"({"emails":null})"),
     patch(
         R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"barbara@example.com"}])"),
     user_with(R"({"emails":[{"type":"work","value":"barbara@example.com"}]})")},
    {"AddWithFilterCreatesTheElementWhenAbsent", "default", "User", user,
     patch(
         R"([{"op":"add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}])"),
     user_with(R"({"phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}]})")},
    {"FilterIsCaseInsensitiveForNamesAndType", "default", "User", user,
     patch(R"([{"op":"replace","path":"EMAILS[TYPE eq \"WORK\"].VALUE","value":"b@example.com"}])"),
     user_with(R"({"emails":[{"type":"work","value":"b@example.com","primary":true}]})")},
    {"RemoveFilteredElement", "default", "User", user,
     patch(R"([{"op":"remove","path":"emails[type eq \"work\"]"}])"),
     user_with(R"({"emails":null})")},
    {"RemoveFilterMatchingNothingIsNoOp", "default", "User", user,
     patch(R"([{"op":"remove","path":"phoneNumbers[type eq \"mobile\"]"}])"), user},
    {"RemoveMobilePhoneKeepsWorkPhone", "default", "User",
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1"},{"type":"mobile","value":"2"}]})"),
     patch(R"([{"op":"remove","path":"phoneNumbers[type eq \"mobile\"]"}])"),
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1"}]})")},
    {"ReplaceFilteredSubAttributeWithNullRemovesTheElement", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":null}])"),
     user_with(R"({"emails":null})")},
    {"RemoveFilteredSubAttribute", "default", "User",
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1"},{"type":"mobile","value":"2"}]})"),
     patch(R"([{"op":"remove","path":"phoneNumbers[type eq \"mobile\"].value"}])"),
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1"}]})")},
    {"ReplaceFilteredElementKeepsItsType", "default", "User",
     user_with(R"({"phoneNumbers":[{"type":"mobile","value":"2"}]})"),
     patch(R"([{"op":"replace","path":"phoneNumbers[type eq \"mobile\"]","value":{"value":"3"}}])"),
     user_with(R"({"phoneNumbers":[{"type":"mobile","value":"3"}]})")},
    {"ReplaceFilterThatCannotBuildAnElementIsNoTarget", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"emails[value co \"@other.org\"].value","value":"x@other.org"}])"),
     "", errc::no_target, "matched no value"},
    {"ReplaceByValueFilterMatchingAnotherSubAttribute", "default", "User", user,
     patch(
         R"([{"op":"replace","path":"emails[value ew \"@example.com\"].value","value":"x@example.org"}])"),
     user_with(R"({"emails":[{"type":"work","value":"x@example.org","primary":true}]})")},
    {"UnmappedSelectorValueIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails[type eq \"home\"].value","value":"h@example.com"}])"),
     "", errc::invalid_path, "maps only emails[type eq \"work\"].value"},
    {"UnmappedSubAttributeUnderFilterIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails[type eq \"work\"].display","value":"Work"}])"), "",
     errc::invalid_path, "\"emails.display\" is not mapped"},
    {"FilterOnSingleValuedAttributeIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"name[givenName eq \"Barbara\"].familyName","value":"X"}])"),
     "", errc::invalid_path, "\"name\" is single-valued"},
    {"SubAttributeOfMultiValuedNeedsAFilter", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails.value","value":"x@example.com"}])"), "",
     errc::invalid_path, "select the elements with a value filter"},
    {"AddressesStreetAddressIsSetOnTheWorkAddress", "default", "User",
     user_with(
         R"({"addresses":[{"type":"work","streetAddress":"1 Main St","locality":"Springfield"}]})"),
     patch(
         R"([{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"2 Elm St"}])"),
     user_with(
         R"({"addresses":[{"type":"work","streetAddress":"2 Elm St","locality":"Springfield"}]})")},
    {"AddressesStreetAddressCreatesTheWorkAddress", "default", "User", user,
     patch(
         R"([{"op":"add","path":"addresses[type eq \"work\"].streetAddress","value":"2 Elm St"}])"),
     user_with(R"({"addresses":[{"type":"work","streetAddress":"2 Elm St"}]})")},
    {"HomeAddressIsUnmappedInTheDefaultProfile", "default", "User", user,
     patch(
         R"([{"op":"add","path":"addresses[type eq \"home\"].streetAddress","value":"2 Elm St"}])"),
     "", errc::invalid_path, "maps only addresses[type eq \"work\"]"},

    // ---- whole multi-valued attributes ----
    {"AddEmailOfAnExistingSingleValuedTypeUpdatesThatElement", "default", "User", user,
     patch(R"([{"op":"add","path":"emails","value":[{"type":"work","value":"new@example.com"}]}])"),
     user_with(R"({"emails":[{"type":"work","value":"new@example.com","primary":true}]})")},
    {"AddExistingEmailChangesNothing", "default", "User", user,
     patch(R"([{"op":"add","path":"emails","value":[{"type":"work","value":"BJ@example.com"}]}])"),
     user},
    {"ReplaceMultiValuedReplacesAllValues", "default", "User",
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1"},{"type":"mobile","value":"2"}]})"),
     patch(R"([{"op":"replace","path":"phoneNumbers","value":[{"type":"mobile","value":"9"}]}])"),
     user_with(R"({"phoneNumbers":[{"type":"mobile","value":"9"}]})")},
    {"PrimaryTrueOnANewValueClearsTheOthers", "default", "User",
     user_with(R"({"phoneNumbers":[{"type":"work","value":"1","primary":true}]})"),
     patch(
         R"([{"op":"add","path":"phoneNumbers","value":{"type":"mobile","value":"2","primary":"True"}}])"),
     user_with(
         R"({"phoneNumbers":[{"type":"work","value":"1","primary":false},{"type":"mobile","value":"2","primary":true}]})")},
    {"SingleValueAddedToSimpleMultiValuedIsOneElement", "multi-subjects", "User",
     user_with(R"({"userType":"Staff"})"),
     patch(
         R"([{"op":"add","path":"urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User:subjects","value":"Maths"}])"),
     user_with(
         R"({"userType":"Staff","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":["Maths"]}})")},
    {"AddToSimpleMultiValuedSkipsValuesAlreadyThere", "multi-subjects", "User",
     user_with(
         R"({"userType":"Staff","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":["Maths"]}})"),
     patch(R"([{"op":"add","path":"subjects","value":["maths","Art"]}])"),
     user_with(
         R"({"userType":"Staff","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":["Maths","Art"]}})")},
    {"RemoveSimpleMultiValuedElementByValueFilter", "multi-subjects", "User",
     user_with(
         R"({"userType":"Staff","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":["Maths","Art"]}})"),
     patch(R"([{"op":"remove","path":"subjects[value eq \"maths\"]"}])"),
     user_with(
         R"({"userType":"Staff","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":["Art"]}})")},
    {"ClasslarkSubjectsIsOneStringAsSent", "classlark", "User",
     user_with(R"({"userType":"Staff"})"),
     patch(
         R"([{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User:subjects","value":"Mathematics, Physics"}])"),
     user_with(
         R"({"userType":"Staff","schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:school-event-planner:2.0:User":{"subjects":"Mathematics, Physics"}})")},
    {"UserTypeMustBeACanonicalValueCaseExact", "classlark", "User",
     user_with(R"({"userType":"Staff"})"),
     patch(R"([{"op":"replace","path":"userType","value":"event manager"}])"), "",
     errc::invalid_value, "\"userType\" must be one of \"Staff\", \"Event Manager\""},
    {"UserTypeCanonicalValueIsAccepted", "classlark", "User", user_with(R"({"userType":"Staff"})"),
     patch(R"([{"op":"replace","path":"userType","value":"Event Manager"}])"),
     user_with(R"({"userType":"Event Manager"})")},
    {"RequiredUserTypeCannotBeRemoved", "classlark", "User", user_with(R"({"userType":"Staff"})"),
     patch(R"([{"op":"remove","path":"userType"}])"), "", errc::mutability,
     "required attribute userType cannot be removed"},

    // ---- no path: the value is an object of attributes ----
    {"OktaDeactivate", "default", "User", user,
     patch(R"([{"op":"replace","value":{"active":false}}])"), user_with(R"({"active":false})")},
    {"EntraMultiAttributeUpdateWithDottedAndUrnKeys", "default", "User", user,
     patch(R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":"bjfe@example.com"},
               {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "displayName":"Bjfe","name":{"givenName":"Kkom","familyName":"Unua"},
                   "emails":[{"type":"work","value":"bjfe@example.com","primary":true}],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"Aklq"}})")},
    {"NoPathExtensionUrnKeyWithObject", "default", "User", user,
     patch(
         R"([{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D","manager":"m1"}}}])"),
     user_with(
         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D","manager":{"value":"m1"}}})")},
    {"NoPathReadOnlyKeysAreIgnored", "default", "User", user,
     patch(
         R"([{"op":"replace","value":{"id":"other","meta":{"version":"x"},"groups":[],"schemas":[],"title":"Boss"}}])"),
     user_with(R"({"title":"Boss"})")},
    {"NoPathUnmappedAttributeIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"add","value":{"roles":[{"value":"admin"}]}}])"), "", errc::invalid_path,
     "attribute \"roles\" is not mapped"},
    {"NoPathClearingAnUnmappedAttributeIsIgnored", "default", "User", user,
     patch(R"([{"op":"replace","value":{"roles":[],"title":"Boss"}}])"),
     user_with(R"({"title":"Boss"})")},
    {"NoPathValueMustBeAnObject", "default", "User", user,
     patch(R"([{"op":"replace","value":"inactive"}])"), "", errc::invalid_value,
     "\"value\" must be an object"},
    {"NoPathComplexValueMergesSubAttributes", "default", "User", user,
     patch(R"([{"op":"add","value":{"name":{"givenName":"Barb"},"Title":"Boss"}}])"),
     user_with(R"({"name":{"givenName":"Barb","familyName":"Jensen"},"title":"Boss"})")},
    {"NoPathWrongTypeNamesTheAttribute", "default", "User", user,
     patch(R"([{"op":"replace","value":{"active":"yes"}}])"), "", errc::invalid_value,
     "\"active\" must be a boolean"},

    // ---- Group members ----
    {"OktaGroupRenameIgnoresId", "default", "Group", group,
     patch(R"([{"op":"replace","value":{"id":"g1","displayName":"Teachers"}}])"),
     group_with(R"({"displayName":"Teachers"})")},
    {"EntraGroupRenameByPath", "default", "Group", group,
     patch(R"([{"op":"Replace","path":"displayName","value":"Teachers"}])"),
     group_with(R"({"displayName":"Teachers"})")},
    {"OktaMemberRemoveAndAddInOnePatch", "default", "Group", group,
     patch(R"([{"op":"remove","path":"members[value eq \"u1\"]"},
               {"op":"add","path":"members","value":[{"value":"u3","display":"test.user@okta.local"}]}])"),
     group_with(R"({"members":[{"value":"u2"},{"value":"u3"}]})")},
    {"OktaFullMembershipPushReplacesMembers", "default", "Group", group,
     patch(
         R"([{"op":"replace","path":"members","value":[{"value":"u2","display":"x"},{"value":"u4"}]}])"),
     group_with(R"({"members":[{"value":"u2"},{"value":"u4"}]})")},
    {"OktaReplaceMembersWithEmptyListEmptiesTheGroup", "default", "Group", group,
     patch(R"([{"op":"replace","path":"members","value":[]}])"), group_with(R"({"members":null})")},
    {"EntraAddMembersDropsNullRef", "default", "Group", group_with(R"({"members":null})"),
     patch(
         R"([{"op":"Add","path":"members","value":[{"$ref":null,"value":"u7"},{"$ref":null,"value":"u8"}]}])"),
     group_with(R"({"members":[{"value":"u7"},{"value":"u8"}]})")},
    {"EntraRemoveMembersWithValueListRemovesOnlyThose", "default", "Group",
     group_with(R"({"members":[{"value":"u1"},{"value":"u2"},{"value":"u3"}]})"),
     patch(
         R"([{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u1"},{"$ref":null,"value":"u3"}]}])"),
     group_with(R"({"members":[{"value":"u2"}]})")},
    {"JumpCloudRemoveMemberWithMinimalValue", "default", "Group", group,
     patch(R"([{"op":"remove","path":"members","value":[{"value":"u2"}]}])"),
     group_with(R"({"members":[{"value":"u1","display":"Babs"}]})")},
    {"JumpCloudAddMemberAlreadyThereChangesNothing", "default", "Group", group,
     patch(R"([{"op":"add","path":"members","value":[{"value":"u2"}]}])"), group},
    {"MemberIdsAreCaseExact", "default", "Group", group,
     patch(R"([{"op":"remove","path":"members[value eq \"U1\"]"}])"), group},
    {"RemoveMembersWithoutValueRemovesAll", "default", "Group", group,
     patch(R"([{"op":"remove","path":"members"}])"), group_with(R"({"members":null})")},
    {"MemberAsBareIdString", "default", "Group", group_with(R"({"members":null})"),
     patch(R"([{"op":"add","path":"members","value":"u9"}])"),
     group_with(R"({"members":[{"value":"u9"}]})")},
    {"RequiredGroupDisplayNameCannotBeRemoved", "default", "Group", group,
     patch(R"([{"op":"replace","path":"displayName","value":null}])"), "", errc::mutability,
     "required attribute displayName cannot be removed"},

    // ---- mutability and required ----
    {"RemoveRequiredUserNameIsMutability", "default", "User", user,
     patch(R"([{"op":"remove","path":"userName"}])"), "", errc::mutability,
     "required attribute userName cannot be removed"},
    {"ReplaceUserNameWithEmptyIsMutability", "default", "User", user,
     patch(R"([{"op":"Replace","path":"userName","value":""}])"), "", errc::mutability,
     "required attribute userName cannot be removed"},
    {"ReplaceIdByPathIsMutability", "default", "User", user,
     patch(R"([{"op":"replace","path":"id","value":"u9"}])"), "", errc::mutability,
     "\"id\" is readOnly"},
    {"RemoveMetaSubAttributeIsMutability", "default", "User", user,
     patch(R"([{"op":"remove","path":"meta.version"}])"), "", errc::mutability,
     "\"meta.version\" is readOnly"},
    {"AddGroupsOnUserIsMutability", "default", "User", user,
     patch(R"([{"op":"add","path":"groups","value":[{"value":"g1"}]}])"), "", errc::mutability,
     "\"groups\" is readOnly"},
    {"ImmutableAttributeMayGetAFirstValue", "custom", "User", user,
     patch(R"([{"op":"add","path":"externalId","value":"ext-1"}])"),
     user_with(R"({"externalId":"ext-1"})")},
    {"ImmutableAttributeCannotChange", "custom", "User", user_with(R"({"externalId":"ext-1"})"),
     patch(R"([{"op":"replace","path":"externalId","value":"ext-2"}])"), "", errc::mutability,
     "\"externalId\" is immutable"},
    {"ImmutableAttributeSameValueIsAccepted", "custom", "User",
     user_with(R"({"externalId":"ext-1"})"),
     patch(R"([{"op":"replace","path":"externalId","value":"ext-1"}])"),
     user_with(R"({"externalId":"ext-1"})")},
    {"UnmappedAttributePathIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"add","path":"x509Certificates","value":[{"value":"MIIB"}]}])"), "",
     errc::invalid_path, "path \"x509Certificates\": attribute \"x509Certificates\" is not mapped"},
    {"UnknownAttributePathIsInvalidPath", "default", "User", user,
     patch(R"([{"op":"replace","path":"favouriteColour","value":"blue"}])"), "", errc::invalid_path,
     "\"favouriteColour\" is not mapped"},
    {"ErrorNamesTheFailingOperation", "default", "User", user,
     patch(R"([{"op":"replace","path":"title","value":"Boss"},
               {"op":"replace","path":"displayName","value":"Barb"},
               {"op":"remove","path":"userName"}])"),
     "", errc::mutability, "Operations[2]: required attribute userName"},
};

INSTANTIATE_TEST_SUITE_P(Table, Patch, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<patch_case>& info) {
                             return info.param.name;
                         });

TEST(PatchAllOrNothing, FailingLastOperationLeavesTheCallersResourceUntouched) {
    const auto& p = profile_named("default");
    const auto start = json::parse(user).as_object();
    const auto ops =
        parse_patch_request(json::parse(patch(R"([{"op":"replace","path":"title","value":"Boss"},
                  {"op":"replace","path":"active","value":"nope"}])")));
    ASSERT_TRUE(ops);
    const auto result = apply_patch(p.user, start, *ops);
    ASSERT_FALSE(result);
    EXPECT_EQ(start, json::parse(user).as_object());
}

TEST(PatchRequest, KeepsOrderIndexPathTextAndAbsentValue) {
    const auto ops = parse_patch_request(json::parse(patch(
        R"([{"op":"Add","path":"nickName","value":"Babs"},{"op":"remove","path":"title"}])")));
    ASSERT_TRUE(ops);
    ASSERT_EQ(ops->size(), 2u);
    EXPECT_EQ((*ops)[0].op, patch_operation::op_kind::add);
    EXPECT_EQ((*ops)[1].op, patch_operation::op_kind::remove);
    EXPECT_EQ((*ops)[1].index, 1u);
    EXPECT_EQ((*ops)[1].path_text, "title");
    EXPECT_FALSE((*ops)[1].value.has_value());
}

TEST(PatchRequest, NullValueIsKeptAsNull) {
    const auto ops = parse_patch_request(
        json::parse(patch(R"([{"op":"replace","path":"title","value":null}])")));
    ASSERT_TRUE(ops);
    ASSERT_TRUE((*ops)[0].value.has_value());
    EXPECT_TRUE((*ops)[0].value->is_null());
}

}  // namespace
}  // namespace scimldap::mapping
