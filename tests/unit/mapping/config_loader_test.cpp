#include "mapping/config_loader.hpp"
#include "mapping/config_overrides.hpp"
#include "mapping/duration.hpp"
#include "mapping/profile.hpp"
#include "mapping/rfc3339_time.hpp"
#include "tests/support/scratch_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace scimldap::mapping {
namespace {

namespace json = boost::json;

const std::string token_a(64, 'a');
const std::string token_b(64, 'b');

std::vector<std::string> shipped_dirs() {
    return {(std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "mapping/profiles").string()};
}

json::object valid_config() {
    return json::parse(R"({
      "listen": {"host": "127.0.0.1", "port": 8443},
      "http": {"idle_timeout": "90s", "request_timeout": "250ms"},
      "ldap": {"uris": ["ldap://127.0.0.1:389"],
               "bind_dn": "cn=scim-bridge,ou=Services,dc=example,dc=org",
               "password_file": "/etc/scim-ldap-bridge/ldap.password"},
      "tenants": [
        {"name": "example", "profile": "openldap-inetorgperson",
         "users_base": "ou=People,dc=example,dc=org",
         "groups_base": "ou=Groups,dc=example,dc=org",
         "roles_base": "ou=Roles,dc=example,dc=org"},
        {"name": "classlark", "profile": "classlark",
         "users_base": "ou=People,ou=classlark,dc=example,dc=org",
         "groups_base": "ou=Groups,ou=classlark,dc=example,dc=org",
         "roles_base": "ou=Roles,ou=classlark,dc=example,dc=org",
         "archive_base": "ou=Archive,ou=classlark,dc=example,dc=org"}
      ],
      "tokens": [
        {"name": "okta", "sha256": ")" +
                       token_a + R"(", "tenant": "example"},
        {"name": "entra", "sha256": ")" +
                       token_b + R"(", "tenant": "classlark"}
      ]
    })")
        .as_object();
}

using config_result = boost::system::result<config, std::vector<config_error>>;

config_result parse(const json::object& o) {
    return parse_config(json::serialize(o), "bridge.json", "", shipped_dirs());
}

// The error at `path`, or a test failure listing all errors.
std::optional<config_error> error_at(const config_result& r, std::string_view path) {
    if (r) {
        ADD_FAILURE() << "config was accepted, expected an error at " << path;
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

#define EXPECT_CONFIG_ERROR(result, path, text)                                  \
    do {                                                                         \
        const auto& r_ = (result);                                               \
        const auto e_ = error_at(r_, path);                                      \
        if (e_) {                                                                \
            EXPECT_NE(e_->message.find(text), std::string::npos) << e_->message; \
            EXPECT_EQ(e_->file, "bridge.json");                                  \
        }                                                                        \
    } while (false)

TEST(ConfigLoader, ValidConfigLoadsWithDefaultsAndProfiles) {
    const auto r = parse(valid_config());
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->listen.port, 8443);
    EXPECT_EQ(r->http.idle_timeout, std::chrono::seconds(90));
    EXPECT_EQ(r->http.request_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(r->http.header_timeout, std::chrono::seconds(10));  // default kept
    EXPECT_EQ(r->ldap.pool_size, 2u);
    ASSERT_EQ(r->tenants.size(), 2u);
    EXPECT_EQ(r->tenants[1].archive_base->str(), "ou=Archive,ou=classlark,dc=example,dc=org");
    EXPECT_EQ(r->tokens[0].tenant, "example");
    ASSERT_EQ(r->profiles.count("classlark"), 1u);
    EXPECT_EQ(r->profiles.at("classlark")->name, "classlark");
    EXPECT_EQ(r->profiles.at("openldap-inetorgperson")->user.rdn_attribute, "uid");
}

TEST(ConfigLoader, ShippedExampleConfigIsValid) {
    const auto r = load_config(
        (std::filesystem::path(SCIMLDAP_SOURCE_DIR) / "docs/example-config.json").string(),
        shipped_dirs());
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_FALSE(r->tenants.empty());
}

TEST(ConfigLoader, CommentKeysAreIgnoredEverywhere) {
    auto o = valid_config();
    o["$comment"] = "top";
    o["listen"].as_object()["$comment"] = "where the bridge listens";
    o["tenants"].as_array()[0].as_object()["$comment"] = "the default tenant";
    EXPECT_TRUE(parse(o));
}

TEST(ConfigLoader, UnknownKeyIsRefusedWithSuggestion) {
    auto o = valid_config();
    o["listen"].as_object()["prot"] = 9000;
    EXPECT_CONFIG_ERROR(parse(o), "listen.prot", "did you mean \"port\"");
}

TEST(ConfigLoader, UnknownTopLevelKeyListsAllowedKeysWhenNothingIsClose) {
    auto o = valid_config();
    o["zzzzzzzz"] = true;
    EXPECT_CONFIG_ERROR(parse(o), "zzzzzzzz", "allowed here: $schema, listen, http");
}

TEST(ConfigLoader, WrongTypeNamesTheExpectedType) {
    auto o = valid_config();
    o["listen"].as_object()["port"] = "8443";
    EXPECT_CONFIG_ERROR(parse(o), "listen.port", "expected an integer, got a string");
}

TEST(ConfigLoader, PortOutOfRangeIsRefused) {
    auto o = valid_config();
    o["listen"].as_object()["port"] = 70000;
    EXPECT_CONFIG_ERROR(parse(o), "listen.port", "from 1 to 65535");
}

TEST(ConfigLoader, InvalidDnIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["users_base"] = "People at example.org";
    EXPECT_CONFIG_ERROR(parse(o), "tenants[0].users_base", "is not a DN (RFC 4514)");
}

TEST(ConfigLoader, BadDurationIsRefused) {
    auto o = valid_config();
    o["http"].as_object()["idle_timeout"] = "5 sec";
    EXPECT_CONFIG_ERROR(parse(o), "http.idle_timeout", "e.g. \"250ms\", \"5s\"");
}

TEST(ConfigLoader, IntegerDurationIsRefusedWithTheStringForm) {
    auto o = valid_config();
    o["ldap"].as_object()["operation_timeout"] = 5000;
    EXPECT_CONFIG_ERROR(parse(o), "ldap.operation_timeout", "a duration string");
}

TEST(ConfigLoader, ProbeIntervalDefaultsToFiveSecondsAndZeroTurnsProbingOff) {
    const auto defaults = parse(valid_config());
    ASSERT_TRUE(defaults) << defaults.error().front().to_string();
    EXPECT_EQ(defaults->ldap.probe_interval, std::chrono::seconds(5));

    auto o = valid_config();
    o["ldap"].as_object()["probe_interval"] = "0s";
    const auto off = parse(o);
    ASSERT_TRUE(off) << off.error().front().to_string();
    EXPECT_EQ(off->ldap.probe_interval, std::chrono::milliseconds(0));
}

TEST(ConfigLoader, TokenNamingUnknownTenantIsRefused) {
    auto o = valid_config();
    o["tokens"].as_array()[0].as_object()["tenant"] = "exampel";
    EXPECT_CONFIG_ERROR(parse(o), "tokens[0].tenant", "did you mean \"example\"");
}

TEST(ConfigLoader, DuplicateTokenHashIsRefused) {
    auto o = valid_config();
    o["tokens"].as_array()[1].as_object()["sha256"] = token_a;
    EXPECT_CONFIG_ERROR(parse(o), "tokens[1].sha256", "already tokens[0]");
}

TEST(ConfigLoader, DuplicateTokenHashIsFoundWhateverTheCase) {
    auto o = valid_config();
    o["tokens"].as_array()[1].as_object()["sha256"] = std::string(64, 'A');
    EXPECT_CONFIG_ERROR(parse(o), "tokens[1].sha256", "already tokens[0]");
}

TEST(ConfigLoader, Sha256OfWrongLengthIsRefused) {
    auto o = valid_config();
    o["tokens"].as_array()[0].as_object()["sha256"] = std::string(63, 'a');
    EXPECT_CONFIG_ERROR(parse(o), "tokens[0].sha256", "64 hexadecimal characters");
}

TEST(ConfigLoader, Sha256WithNonHexIsRefused) {
    auto o = valid_config();
    std::string hash(64, 'a');
    hash[63] = 'g';
    o["tokens"].as_array()[0].as_object()["sha256"] = hash;
    EXPECT_CONFIG_ERROR(parse(o), "tokens[0].sha256", "64 hexadecimal characters");
}

TEST(ConfigLoader, InlineTokenIsRefused) {
    auto o = valid_config();
    o["tokens"].as_array()[0].as_object()["token"] = "s3cret";
    EXPECT_CONFIG_ERROR(parse(o), "tokens[0].token", "tokens are kept as hashes");
}

TEST(ConfigLoader, InlinePasswordIsRefused) {
    auto o = valid_config();
    o["ldap"].as_object()["password"] = "s3cret";
    EXPECT_CONFIG_ERROR(parse(o), "ldap.password", "set \"password_file\"");
}

TEST(ConfigLoader, DuplicateTenantNameIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[1].as_object()["name"] = "example";
    const auto r = parse(o);
    EXPECT_CONFIG_ERROR(r, "tenants[1].name", "already used by tenants[0]");
}

TEST(ConfigLoader, TenantBaseInsideAnotherTenantsBaseIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[1].as_object()["users_base"] =
        "ou=Classlark,ou=People,dc=example,dc=org";
    EXPECT_CONFIG_ERROR(parse(o), "tenants[1].users_base",
                        "lies within tenant \"example\"'s users_base");
}

TEST(ConfigLoader, TenantBaseEqualToAnotherTenantsBaseIsRefusedCaseInsensitively) {
    auto o = valid_config();
    o["tenants"].as_array()[1].as_object()["groups_base"] = "OU=groups, DC=Example, DC=org";
    EXPECT_CONFIG_ERROR(parse(o), "tenants[1].groups_base", "tenants must have disjoint subtrees");
}

TEST(ConfigLoader, RolesBaseInsideGroupsBaseIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["roles_base"] = "ou=Roles,ou=Groups,dc=example,dc=org";
    EXPECT_CONFIG_ERROR(parse(o), "tenants[0].roles_base", "role groups would be listed");
}

TEST(ConfigLoader, MissingRequiredKeysAreAllReported) {
    auto o = valid_config();
    o["ldap"].as_object().erase("uris");
    o["tenants"].as_array()[0].as_object().erase("users_base");
    o.erase("tokens");
    const auto r = parse(o);
    EXPECT_CONFIG_ERROR(r, "ldap.uris", "required key is missing");
    EXPECT_CONFIG_ERROR(r, "tenants[0].users_base", "required key is missing");
    EXPECT_CONFIG_ERROR(r, "tokens", "required key is missing");
}

TEST(ConfigLoader, AllErrorsAreCollectedNotJustTheFirst) {
    auto o = valid_config();
    o["listen"].as_object()["port"] = 0;
    o["http"].as_object()["base_path"] = "scim";
    o["logging"] = json::object{{"level", "verbose"}};
    const auto r = parse(o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().size(), 3u);
    EXPECT_CONFIG_ERROR(r, "logging.level", "unknown level \"verbose\"");
    EXPECT_CONFIG_ERROR(r, "http.base_path", "must start with \"/\"");
}

TEST(ConfigLoader, AuditLogIsOnByDefaultAndGoesToStderr) {
    const auto r = parse(valid_config());
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->logging.audit.enabled);
    EXPECT_EQ(r->logging.audit.file, "");
}

TEST(ConfigLoader, AuditFileIsRead) {
    auto o = valid_config();
    o["logging"] = json::object{{"audit", {{"file", "/var/log/scim-ldap-bridge/audit.log"}}}};
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->logging.audit.file, "/var/log/scim-ldap-bridge/audit.log");
}

TEST(ConfigLoader, RelativeAuditFileIsRefused) {
    auto o = valid_config();
    o["logging"] = json::object{{"audit", {{"file", "audit.log"}}}};
    EXPECT_CONFIG_ERROR(parse(o), "logging.audit.file", "absolute path");
}

TEST(ConfigLoader, LdapUriWithDnIsRefused) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://host/dc=example,dc=org"};
    EXPECT_CONFIG_ERROR(parse(o), "ldap.uris[0]", "without DN or filter");
}

TEST(ConfigLoader, ReadUrisAreCheckedLikeUris) {
    auto o = valid_config();
    o["ldap"].as_object()["read_uris"] = json::array{"ldap://replica.corp.example/dc=x"};
    EXPECT_CONFIG_ERROR(parse(o), "ldap.read_uris[0]", "without DN or filter");
    o["ldap"].as_object()["read_uris"] = json::array{"ldap://replica.corp.example"};
    EXPECT_CONFIG_ERROR(parse(o), "ldap.read_uris[0]", "in clear to another machine");
}

TEST(ConfigLoader, ReadUrisAndTheirWindowAreRead) {
    auto o = valid_config();
    o["ldap"].as_object()["read_uris"] = json::array{"ldap://127.0.0.1:3391"};
    o["ldap"].as_object()["read_your_writes"] = "2s";
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->ldap.read_uris, std::vector<std::string>{"ldap://127.0.0.1:3391"});
    EXPECT_EQ(r->ldap.read_your_writes, std::chrono::seconds(2));
}

TEST(ConfigLoader, ConfirmWritesNeedsASecondProvider) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://127.0.0.1:3389"};
    o["ldap"].as_object()["confirm_writes"] = "2s";
    EXPECT_CONFIG_ERROR(parse(o), "ldap.confirm_writes", "at least two providers");
}

TEST(ConfigLoader, ConfirmWritesIsReadWithTwoProviders) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://127.0.0.1:3389", "ldap://127.0.0.1:3390"};
    o["ldap"].as_object()["confirm_writes"] = "100ms";
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->ldap.confirm_writes, std::chrono::milliseconds(100));
    EXPECT_EQ(parse(valid_config())->ldap.confirm_writes.count(), 0);  // off unless set
}

TEST(ConfigLoader, ConfirmWritesMustEndBeforeTheRequestDeadline) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://127.0.0.1:3389", "ldap://127.0.0.1:3390"};
    o["ldap"].as_object()["confirm_writes"] = "30s";
    EXPECT_CONFIG_ERROR(parse(o), "ldap.confirm_writes", "shorter than http.request_timeout");
}

TEST(ConfigLoader, LdapsUriIsTlsFromTheFirstByte) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"LDAPS://ldap.corp.example"};
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    const auto uri = ldap::parse_ldap_uri(r->ldap.uris.front());
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->port, 636);
    EXPECT_EQ(r->ldap.tls.mode_for(*uri), ldap::tls_mode::ldaps);
    EXPECT_TRUE(r->ldap.tls.verify);
}

TEST(ConfigLoader, StartTlsForAllAppliesToEveryLdapUri) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://a.example", "ldaps://b.example"};
    o["ldap"].as_object()["tls"] = "starttls";
    o["ldap"].as_object()["ca_file"] = "/etc/ssl/corp-ca.pem";
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->ldap.tls.mode_for(*ldap::parse_ldap_uri("ldap://a.example")),
              ldap::tls_mode::starttls);
    EXPECT_EQ(r->ldap.tls.mode_for(*ldap::parse_ldap_uri("ldaps://b.example")),
              ldap::tls_mode::ldaps);
    EXPECT_EQ(r->ldap.tls.ca_file, "/etc/ssl/corp-ca.pem");
}

TEST(ConfigLoader, TlsCanBeSetForOneUri) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{
        json::object{{"uri", "ldap://a.example"}, {"tls", "starttls"}}, "ldap://127.0.0.1:389"};
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->ldap.uris, (std::vector<std::string>{"ldap://a.example", "ldap://127.0.0.1:389"}));
    EXPECT_EQ(r->ldap.tls.mode_for(*ldap::parse_ldap_uri("ldap://a.example")),
              ldap::tls_mode::starttls);
    EXPECT_EQ(r->ldap.tls.mode_for(*ldap::parse_ldap_uri("ldap://127.0.0.1:389")),
              ldap::tls_mode::none);
}

TEST(ConfigLoader, UnknownTlsModeIsRefused) {
    auto o = valid_config();
    o["ldap"].as_object()["tls"] = "ssl";
    EXPECT_CONFIG_ERROR(parse(o), "ldap.tls", "use \"none\", \"starttls\" or \"ldaps\"");
}

TEST(ConfigLoader, TlsThatContradictsTheSchemeIsRefused) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] =
        json::array{json::object{{"uri", "ldaps://a.example"}, {"tls", "starttls"}},
                    json::object{{"uri", "ldap://b.example"}, {"tls", "ldaps"}}};
    const auto r = parse(o);
    EXPECT_CONFIG_ERROR(r, "ldap.uris[0]", "contradicts it");
    EXPECT_CONFIG_ERROR(r, "ldap.uris[1]", "write the URI as ldaps://host:636");
}

TEST(ConfigLoader, PlaintextBindToAnotherMachineIsRefusedNamingTheKeyThatAllowsIt) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldap://ldap.corp.example"};
    EXPECT_CONFIG_ERROR(parse(o), "ldap.uris[0]",
                        "would send the bind password in clear to another machine: use "
                        "ldaps://, or \"tls\": \"starttls\", or set \"allow_plaintext_bind\": "
                        "true");
}

TEST(ConfigLoader, PlaintextBindIsAllowedOnLoopbackAndWhenAskedFor) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] =
        json::array{"ldap://127.0.0.1:389", "ldap://localhost", "ldap://[::1]:389"};
    EXPECT_TRUE(parse(o));
    o["ldap"].as_object()["uris"] = json::array{"ldap://10.0.0.5"};
    o["ldap"].as_object()["allow_plaintext_bind"] = true;
    EXPECT_TRUE(parse(o));
}

TEST(ConfigLoader, PlaintextIsFineWithoutAPassword) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi"};
    o["ldap"].as_object().erase("bind_dn");
    o["ldap"].as_object().erase("password_file");
    o["ldap"].as_object()["sasl_external"] = true;
    EXPECT_TRUE(parse(o));
}

TEST(ConfigLoader, VerifyFalseIsRefusedPointingAtInsecureSkipVerify) {
    auto o = valid_config();
    o["ldap"].as_object()["verify"] = false;
    EXPECT_CONFIG_ERROR(parse(o), "ldap.verify", "\"insecure_skip_verify\": true");
}

TEST(ConfigLoader, InsecureSkipVerifyTurnsCertificateChecksOff) {
    auto o = valid_config();
    o["ldap"].as_object()["insecure_skip_verify"] = true;
    const auto r = parse(o);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->ldap.tls.verify);
}

TEST(ConfigLoader, ClientCertificateNeedsItsKey) {
    auto o = valid_config();
    o["ldap"].as_object()["cert_file"] = "/etc/scim-ldap-bridge/client.crt";
    EXPECT_CONFIG_ERROR(parse(o), "ldap.key_file", "needs both \"cert_file\" and \"key_file\"");
}

TEST(ConfigLoader, BindDnWithoutPasswordFileIsRefused) {
    auto o = valid_config();
    o["ldap"].as_object().erase("password_file");
    EXPECT_CONFIG_ERROR(parse(o), "ldap.password_file", "a file holding the bind password");
}

TEST(ConfigLoader, UnknownProfileIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["profile"] = "openldap-inetorgpreson";
    EXPECT_CONFIG_ERROR(parse(o), "tenants[0].profile",
                        "profile \"openldap-inetorgpreson\" not found");
}

TEST(ConfigLoader, ArchivingProfileNeedsArchiveBase) {
    const scimldap::testing::scratch_dir dir("scimldap-config");
    std::ifstream in((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                      "mapping/profiles/openldap-inetorgperson.json")
                         .string());
    auto p = json::parse(std::string(std::istreambuf_iterator<char>(in), {})).as_object();
    p["resources"].as_object()["User"].as_object()["delete"] = json::object{{"mode", "archive"}};
    std::ofstream(dir / "archiving.json") << json::serialize(p);
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["profile"] = (dir / "archiving.json").string();
    EXPECT_CONFIG_ERROR(parse(o), "tenants[0].archive_base", "archives deleted users");
}

/// Errors of a config whose two tenants use copies of the shipped profile, each with one further
/// type: `first` and `second` are {type name, endpoint}.
std::vector<config_error> two_profiles_with(std::pair<const char*, const char*> first,
                                            std::pair<const char*, const char*> second) {
    const scimldap::testing::scratch_dir dir("scimldap-config");
    std::ifstream in((std::filesystem::path(SCIMLDAP_SOURCE_DIR) /
                      "mapping/profiles/openldap-inetorgperson.json")
                         .string());
    const auto shipped = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
    auto o = valid_config();
    int i = 0;
    for (const auto& [type, endpoint] : {first, second}) {
        auto p = shipped.as_object();
        p["name"] = "profile-" + std::to_string(i);
        auto section = json::parse(R"({
            "schema": "urn:example:params:scim:schemas:core:2.0:Device",
            "base": "users", "object_classes": ["device"], "rdn_attribute": "cn",
            "attributes": [{"scim": "displayName", "ldap": "cn", "required": true}]})");
        section.as_object()["endpoint"] = endpoint;
        p["resources"].as_object()[type] = section;
        const auto file = dir / ("profile-" + std::to_string(i) + ".json");
        std::ofstream(file) << json::serialize(p);
        o["tenants"].as_array()[static_cast<std::size_t>(i++)].as_object()["profile"] =
            file.string();
    }
    const auto r = parse(o);
    return r ? std::vector<config_error>{} : r.error();
}

bool has_error_saying(const std::vector<config_error>& errors, std::string_view text) {
    return std::any_of(errors.begin(), errors.end(), [&](const config_error& e) {
        return e.message.find(text) != std::string::npos;
    });
}

TEST(ConfigLoader, OneEndpointIsOneResourceTypeInEveryProfile) {
    // All tenants share one route table: /Devices cannot be Device in one profile and Printer
    // in another.
    const auto errors = two_profiles_with({"Device", "/Devices"}, {"Printer", "/Devices"});
    EXPECT_TRUE(has_error_saying(errors, "one endpoint must be the same resource type"));
}

TEST(ConfigLoader, OneResourceTypeHasOneEndpointInEveryProfile) {
    // A route finds the tenant's type by name: Device at /Devices in one profile and /Gadgets
    // in another would let the first profile's tenants use /Gadgets.
    const auto errors = two_profiles_with({"Device", "/Devices"}, {"Device", "/Gadgets"});
    EXPECT_TRUE(has_error_saying(errors, "one resource type must have one endpoint"));
}

TEST(ConfigLoader, OneTypeAtOneEndpointInTwoProfilesIsAccepted) {
    EXPECT_TRUE(two_profiles_with({"Device", "/Devices"}, {"Device", "/Devices"}).empty());
}

TEST(ConfigLoader, TenantLimitsAreRead) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["limits"] =
        json::object{{"requests_per_second", 20}, {"max_concurrent", 8}};
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->tenants[0].limits.requests_per_second, 20u);
    EXPECT_EQ(r->tenants[0].limits.burst, 20u) << "one second's worth by default";
    EXPECT_EQ(r->tenants[0].limits.max_concurrent, 8u);
    EXPECT_EQ(r->tenants[1].limits.requests_per_second, 0u);
}

TEST(ConfigLoader, BurstWithoutARateIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["limits"] = json::object{{"burst", 5}};
    EXPECT_CONFIG_ERROR(parse(o), "tenants[0].limits.burst", "needs a rate");
}

TEST(ConfigLoader, BackPressureBoundsHaveDefaultsAndCanBeSet) {
    auto o = valid_config();
    EXPECT_EQ(parse(o)->ldap.max_pending_reads, 512u);
    o["ldap"].as_object()["max_pending_writes"] = 16;
    const auto r = parse(o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->ldap.max_pending_writes, 16u);
    o["ldap"].as_object()["max_pending_reads"] = 0;
    EXPECT_CONFIG_ERROR(parse(o), "ldap.max_pending_reads", "");
}

TEST(ConfigLoader, ProfileErrorsNameTheProfileFile) {
    const scimldap::testing::scratch_dir dir("scimldap-config");
    std::ofstream(dir / "broken.json") << R"({"name": "broken", "resources": {}})";
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["profile"] = "broken.json";
    const auto r =
        parse_config(json::serialize(o), "bridge.json", dir.path().string(), shipped_dirs());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().front().file, (dir / "broken.json").string());
    EXPECT_EQ(r.error().front().path, "resources.User");
}

TEST(ConfigLoader, InvalidJsonReportsLineAndColumn) {
    const auto r = parse_config("{\n  \"listen\": {,\n}", "bridge.json", "", shipped_dirs());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().front().path, "$");
    EXPECT_NE(r.error().front().message.find("line 2"), std::string::npos)
        << r.error().front().message;
}

TEST(ConfigLoader, MissingFileIsAnErrorNotAnException) {
    const auto r = load_config("/nonexistent/bridge.json", shipped_dirs());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().front().message.find("cannot read"), std::string::npos);
}

TEST(ConfigLoader, ErrorPrintsAsFilePathMessage) {
    const config_error e{"bridge.json", "listen.port", "out of range"};
    EXPECT_EQ(e.to_string(), "bridge.json: listen.port: out of range");
}

TEST(ConfigDuration, UnitsParse) {
    EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
    EXPECT_EQ(parse_duration("5s"), std::chrono::seconds(5));
    EXPECT_EQ(parse_duration("2m"), std::chrono::minutes(2));
    EXPECT_EQ(parse_duration("1h"), std::chrono::hours(1));
}

TEST(ConfigDuration, MalformedDurationsAreRefused) {
    for (const auto* text :
         {"", "5", "s", "-5s", "5 s", "5sec", "1.5s", "5S", "99999999999999999999ms"}) {
        EXPECT_FALSE(parse_duration(text)) << text;
    }
}

TEST(ConfigDuration, FormatRoundTrips) {
    EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1500ms");
    EXPECT_EQ(format_duration(std::chrono::seconds(5)), "5s");
    EXPECT_EQ(format_duration(std::chrono::minutes(2)), "2m");
}

std::function<const char*(const char*)> fake_env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

TEST(ConfigOverrides, EnvironmentSetsListenAndLdapUris) {
    auto c = *parse(valid_config());
    const auto env =
        environment_overrides(fake_env({{"SCIMLDAP_LISTEN", "0.0.0.0:9443"},
                                        {"SCIMLDAP_LDAP_URI", "ldaps://a:636, ldaps://b:636"}}));
    ASSERT_TRUE(apply_overrides(c, env));
    EXPECT_EQ(c.listen.host, "0.0.0.0");
    EXPECT_EQ(c.listen.port, 9443);
    EXPECT_EQ(c.ldap.uris, (std::vector<std::string>{"ldaps://a:636", "ldaps://b:636"}));
}

TEST(ConfigOverrides, AUriOverrideCannotSendTheBindPasswordInClear) {
    auto c = *parse(valid_config());
    const auto r = apply_overrides(c, {{"ldap.uris", "ldap://ldap.corp.example", "--ldap-uri"}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().front().message.find("allow_plaintext_bind"), std::string::npos);
}

TEST(ConfigOverrides, UnderTlsLdapsAnOverrideMustBeLdapsToo) {
    auto o = valid_config();
    o["ldap"].as_object()["uris"] = json::array{"ldaps://a.example"};
    o["ldap"].as_object()["tls"] = "ldaps";
    o["ldap"].as_object()["allow_plaintext_bind"] = true;
    auto c = *parse(o);
    const auto r = apply_overrides(c, {{"ldap.uris", "ldap://b.example", "--ldap-uri"}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().front().message.find("every URI is ldaps://"), std::string::npos);
    EXPECT_TRUE(apply_overrides(c, {{"ldap.uris", "ldaps://b.example", "--ldap-uri"}}));
}

TEST(ConfigOverrides, FlagsAppliedAfterEnvironmentWin) {
    auto c = *parse(valid_config());
    auto all = environment_overrides(fake_env({{"SCIMLDAP_LOG_LEVEL", "debug"}}));
    all.push_back({"logging.level", "warn", "--log-level"});
    ASSERT_TRUE(apply_overrides(c, all));
    EXPECT_EQ(c.logging.level, "warn");
}

TEST(ConfigOverrides, BadValueIsRefusedAndConfigUnchanged) {
    auto c = *parse(valid_config());
    const auto r = apply_overrides(
        c, {{"listen", "127.0.0.1:8000", "--listen"}, {"listen.port", "99999", "SCIMLDAP_LISTEN"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().front().file, "SCIMLDAP_LISTEN");
    EXPECT_EQ(r.error().front().path, "listen.port");
    EXPECT_EQ(c.listen.port, 8443);
}

TEST(ConfigOverrides, UnknownKeyIsRefusedWithSuggestion) {
    auto c = *parse(valid_config());
    const auto r = apply_overrides(c, {{"ldap.uri", "ldap://x", "--set"}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().front().message.find("did you mean \"ldap.uris\""), std::string::npos)
        << r.error().front().message;
}

}  // namespace
}  // namespace scimldap::mapping

namespace scimldap::mapping {
namespace {

TEST(ConfigScim, PageSizesAreRead) {
    auto o = valid_config();
    o["scim"] = json::object{{"default_count", 50}, {"max_count", 200}};
    const auto r = parse(o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->scim.default_count, 50);
    EXPECT_EQ(r->scim.max_count, 200);
}

TEST(ConfigScim, DefaultCountAboveMaxCountIsRefused) {
    auto o = valid_config();
    o["scim"] = json::object{{"default_count", 500}, {"max_count", 200}};
    const auto r = parse(o);
    ASSERT_FALSE(r);
    const auto errors = r.error();
    EXPECT_EQ(errors.front().path, "scim.default_count");
}

TEST(ConfigScim, PatchResponseNoContentIsRead) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["patch_response"] = "no_content";
    const auto r = parse(o);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->tenants.front().patch_no_content);
}

TEST(ConfigScim, UnknownPatchResponseIsRefused) {
    auto o = valid_config();
    o["tenants"].as_array()[0].as_object()["patch_response"] = "204";
    const auto r = parse(o);
    ASSERT_FALSE(r);
    const auto errors = r.error();
    EXPECT_EQ(errors.front().path, "tenants[0].patch_response");
}

TEST(ConfigDuration, DaysParse) {
    EXPECT_EQ(parse_duration("90d"), std::chrono::hours(24 * 90));
    EXPECT_FALSE(parse_duration("1D"));
}

TEST(Rfc3339, UtcAndOffsetsParseToTheSameInstant) {
    const auto utc = parse_rfc3339("2027-03-31T22:00:00Z");
    ASSERT_TRUE(utc);
    EXPECT_EQ(parse_rfc3339("2027-04-01T00:00:00+02:00"), utc);
    EXPECT_EQ(parse_rfc3339("2027-03-31T22:00:00.999Z"), utc);  // the fraction is dropped
    EXPECT_EQ(format_rfc3339(*utc), "2027-03-31T22:00:00Z");
    EXPECT_EQ(utc->time_since_epoch().count(), 1806530400);
}

TEST(Rfc3339, NonDatesAreRefused) {
    for (const char* text : {"", "2027-03-31", "2027-02-30T00:00:00Z", "2027-03-31T24:00:00Z",
                             "2027-03-31 22:00:00Z", "2027-03-31T22:00:00", "tomorrow"}) {
        EXPECT_FALSE(parse_rfc3339(text)) << text;
    }
}

TEST(ConfigTokens, NotAfterIsRead) {
    auto o = valid_config();
    o["tokens"].as_array()[0].as_object()["not_after"] = "2027-03-31T00:00:00Z";
    const auto r = parse(o);
    ASSERT_TRUE(r) << r.error().front().to_string();
    EXPECT_EQ(r->tokens[0].not_after, parse_rfc3339("2027-03-31T00:00:00Z"));
    EXPECT_FALSE(r->tokens[1].not_after);
}

TEST(ConfigTokens, NotAfterThatIsNotRfc3339IsRefused) {
    auto o = valid_config();
    o["tokens"].as_array()[0].as_object()["not_after"] = "31.03.2027";
    EXPECT_CONFIG_ERROR(parse(o), "tokens[0].not_after", "not an RFC 3339 date-time");
}

json::object with_oauth(json::object o) {
    o["oauth"] = json::parse(R"({
        "token_lifetime": "30m",
        "signing_keys": [{"id": "2026-12", "key_file": "/etc/scim-ldap-bridge/oauth-2026-12.key"},
                         {"id": "2026-06", "key_file": "${CREDENTIALS_DIRECTORY}/oauth-old.key"}],
        "clients": [{"client_id": "entra-1", "secret_sha256": ")" +
                             std::string(64, 'c') + R"(",
                     "tenant": "classlark", "name": "classlark-entra"}]})");
    return o;
}

TEST(ConfigOAuth, SectionIsRead) {
    const auto r = parse(with_oauth(valid_config()));
    ASSERT_TRUE(r) << r.error().front().to_string();
    ASSERT_TRUE(r->oauth);
    EXPECT_EQ(r->oauth->token_lifetime, std::chrono::minutes(30));
    ASSERT_EQ(r->oauth->signing_keys.size(), 2u);
    EXPECT_EQ(r->oauth->signing_keys[1].key_file, "${CREDENTIALS_DIRECTORY}/oauth-old.key");
    EXPECT_TRUE(r->oauth->signing_keys[0].secret.empty());  // read later, by bridge/cli
    ASSERT_EQ(r->oauth->clients.size(), 1u);
    EXPECT_EQ(r->oauth->clients[0].client_id, "entra-1");
    EXPECT_EQ(r->oauth->clients[0].tenant, "classlark");
}

TEST(ConfigOAuth, LifetimeDefaultsToAnHour) {
    auto o = with_oauth(valid_config());
    o["oauth"].as_object().erase("token_lifetime");
    const auto r = parse(o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->oauth->token_lifetime, std::chrono::minutes(60));
    EXPECT_FALSE(parse(valid_config())->oauth);
}

TEST(ConfigOAuth, LifetimeOutOfRangeIsRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].as_object()["token_lifetime"] = "2d";
    EXPECT_CONFIG_ERROR(parse(o), "oauth.token_lifetime", "from 1m to 24h");
}

TEST(ConfigOAuth, ClientOfAnUnknownTenantIsRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].at("clients").as_array()[0].as_object()["tenant"] = "classlarc";
    EXPECT_CONFIG_ERROR(parse(o), "oauth.clients[0].tenant", "did you mean \"classlark\"");
}

TEST(ConfigOAuth, ClientsWithoutASigningKeyAreRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].as_object().erase("signing_keys");
    EXPECT_CONFIG_ERROR(parse(o), "oauth.signing_keys", "need a key to sign");
}

TEST(ConfigOAuth, InlineClientSecretOrKeyIsRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].at("clients").as_array()[0].as_object()["client_secret"] = "s3cret";
    o["oauth"].at("signing_keys").as_array()[0].as_object()["key"] = "s3cret";
    const auto r = parse(o);
    EXPECT_CONFIG_ERROR(r, "oauth.clients[0].client_secret", "kept as hashes");
    EXPECT_CONFIG_ERROR(r, "oauth.signing_keys[0].key", "never sit in the config");
}

TEST(ConfigOAuth, DuplicatesAreRefused) {
    auto o = with_oauth(valid_config());
    auto& clients = o["oauth"].as_object()["clients"].as_array();
    clients.push_back(clients[0]);
    o["oauth"].at("signing_keys").as_array()[1].as_object()["id"] = "2026-12";
    const auto r = parse(o);
    EXPECT_CONFIG_ERROR(r, "oauth.clients[1].client_id", "already used by oauth.clients[0]");
    EXPECT_CONFIG_ERROR(r, "oauth.clients[1].name", "already used by oauth.clients[0]");
    EXPECT_CONFIG_ERROR(r, "oauth.signing_keys[1].id", "already used");
}

TEST(ConfigOAuth, ClientNamedLikeATokenIsRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].at("clients").as_array()[0].as_object()["name"] = "okta";
    EXPECT_CONFIG_ERROR(parse(o), "oauth.clients[0].name", "already the name of tokens[0]");
}

TEST(ConfigOAuth, ClientIdWithAColonIsRefused) {
    auto o = with_oauth(valid_config());
    o["oauth"].at("clients").as_array()[0].as_object()["client_id"] = "a:b";
    EXPECT_CONFIG_ERROR(parse(o), "oauth.clients[0].client_id", "not a client id");
}

TEST(ConfigOAuth, ClientsAloneNeedNoTokens) {
    auto o = with_oauth(valid_config());
    o.erase("tokens");
    EXPECT_TRUE(parse(o));
    o["tokens"] = json::array{};
    EXPECT_TRUE(parse(o));
    o["oauth"].as_object()["clients"] = json::array{};
    EXPECT_CONFIG_ERROR(parse(o), "tokens", "define at least one token");
}

}  // namespace
}  // namespace scimldap::mapping
