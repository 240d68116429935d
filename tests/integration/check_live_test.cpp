// `scim-ldap-bridge check --live`: the shipped profiles against the fixture slapd's subschema,
// and a profile that maps an attribute the server does not know.
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

namespace scimldap::testing {
namespace {

namespace json = boost::json;

struct check_result {
    int status;
    std::string output;  // stdout and stderr together
};

class CheckLiveSchema : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    static std::string write(const std::string& name, const std::string& text) {
        const std::string path = slapd_->dir() + "/" + name;
        std::ofstream(path) << text;
        return path;
    }
    // The fixture's config, as the bridge tests use it, pointing at this suite's slapd.
    static json::object fixture_config() {
        return json::parse(bridge_config_json(slapd_->uri(), slapd_->service_password_file()))
            .as_object();
    }
    static check_result check_live(const std::string& config_file) {
        const std::string output = make_temp_file("scimldap-check-live");
        const int status =
            run({SCIMLDAP_BRIDGE_BINARY, "check", "--live", "--config", config_file}, output);
        check_result r{status, read_file(output)};
        std::filesystem::remove(output);
        return r;
    }

    static inline std::unique_ptr<slapd_launcher> slapd_;
};

TEST_F(CheckLiveSchema, ShippedProfilesMatchTheFixtureServer) {
    const std::string file = write("shipped.json", json::serialize(fixture_config()));
    const check_result r = check_live(file);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output,
              "config OK: 2 tenants, 2 tokens\n"
              "schema OK: profiles classlark, openldap-inetorgperson match the "
              "subschema of " +
                  slapd_->uri() + "\n");
}

TEST_F(CheckLiveSchema, UnknownLdapAttributeFailsWithTheProfilePath) {
    // The shipped default profile with title mapped to an attribute slapd does not define.
    // A path, not string + literal: g++ 12 warns falsely (-Warray-bounds) on the macro.
    std::ifstream in(std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping" / "profiles" /
                     "openldap-inetorgperson.json");
    json::value profile = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
    json::array& attributes = profile.at("resources").at("User").at("attributes").as_array();
    std::size_t index = attributes.size();
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        if (attributes[i].at("scim").as_string() == "title") {
            attributes[i].as_object()["ldap"] = "scimNoSuchAttribute";
            index = i;
        }
    }
    ASSERT_LT(index, attributes.size());
    const std::string profile_file = write("typo-profile.json", json::serialize(profile));
    json::object config = fixture_config();
    config["tenants"].as_array()[0].as_object()["profile"] = profile_file;
    const std::string config_file = write("typo.json", json::serialize(config));

    const check_result r = check_live(config_file);
    EXPECT_EQ(r.status, 1) << r.output;
    const std::string finding = profile_file + ": resources.User.attributes[" +
                                std::to_string(index) +
                                "].ldap: the server does not know the attribute "
                                "scimNoSuchAttribute";
    EXPECT_NE(r.output.find(finding), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("schema OK"), std::string::npos) << r.output;
}

TEST_F(CheckLiveSchema, UnreachableServerFailsNamingTheUri) {
    json::object config = fixture_config();
    const std::string nowhere = "ldap://127.0.0.1:1";  // tcpmux: nothing listens there
    config["ldap"].as_object()["uris"] = json::array{json::string(nowhere)};
    config["ldap"].as_object()["operation_timeout"] = "300ms";
    const std::string file = write("down.json", json::serialize(config));
    const check_result r = check_live(file);
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find(nowhere + ": cannot read the subschema: "), std::string::npos)
        << r.output;
}

}  // namespace
}  // namespace scimldap::testing
