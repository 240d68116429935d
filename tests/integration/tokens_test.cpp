// Bearer tokens end to end against a real slapd: issued by `token new`, expired, rotated
// (two per tenant), revoked (a service built from a config without it), listed; an OAuth client
// made by `token new-client`, and revoked the same way.
#include "bridge/auth/token_hash.hpp"
#include "mapping/rfc3339_time.hpp"
#include "tests/support/bridge_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/slapd_launcher.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace scimldap::testing {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

/// The binary's standard output (standard error dropped) and exit status.
struct command_output {
    int status = 0;
    std::vector<std::string> lines;
};

command_output run_bridge_command(const std::string& args) {
    const std::string out = make_temp_file("scimldap-cli");
    // Appended piece by piece: g++ 12 warns falsely (-Warray-bounds) about a + chain that starts
    // from a string built from the literal macro.
    std::string command = SCIMLDAP_BRIDGE_BINARY;
    command += ' ';
    command += args;
    command += " 2>/dev/null";
    const int status = run({"/bin/sh", "-c", command}, out);
    command_output result{status, {}};
    std::istringstream text(read_file(out));
    for (std::string line; std::getline(text, line);) {
        result.lines.push_back(line);
    }
    std::filesystem::remove(out);
    return result;
}

/// A token line as `token new` prints it, but expired an hour ago.
json::object expired_token_line(const std::string& name, const std::string& token) {
    const auto past = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
                      std::chrono::hours(1);
    return {{"name", name},
            {"tenant", "default"},
            {"sha256", auth::hash_token(token)},
            {"not_after", mapping::format_rfc3339(past)}};
}

// One slapd for the suite; each test builds the bridges (configs) it needs.
class Tokens : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        slapd_ = std::make_unique<slapd_launcher>();
        slapd_->start();
    }
    static void TearDownTestSuite() { slapd_.reset(); }

    /// A started bridge whose "tokens" get extra lines.
    static std::unique_ptr<bridge_fixture> bridge_with(std::vector<json::object> extra,
                                                       bool keep_fixture_tokens = true) {
        bridge_options options;
        options.edit_config = [extra = std::move(extra), keep_fixture_tokens](json::object& c) {
            json::array& tokens = c["tokens"].as_array();
            if (!keep_fixture_tokens) {
                tokens.clear();
            }
            for (const json::object& line : extra) {
                tokens.push_back(line);
            }
        };
        auto bridge = std::make_unique<bridge_fixture>(*slapd_, options);
        bridge->start();
        return bridge;
    }

    static http_reply list_users(const bridge_fixture& b, const std::string& token) {
        return b.request(bhttp::verb::get, "/scim/v2/Users?count=1", token);
    }

    static void expect_list_response(const http_reply& r) {
        ASSERT_EQ(r.status, 200u) << r.body;
        EXPECT_EQ(r.json().at("schemas").at(0).as_string(),
                  "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    }

    static void expect_invalid_token(const http_reply& r) {
        EXPECT_EQ(r.status, 401u) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
        EXPECT_EQ(r.json().at("status").as_string(), "401");
        EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"scim\", error=\"invalid_token\"");
    }

    /// A started bridge with an "oauth" section: one signing key and these clients.
    static std::unique_ptr<bridge_fixture> bridge_with_clients(std::vector<json::object> clients) {
        const std::string key_file = slapd_->dir() + "/oauth-tokens-test.key";
        write_private_file(key_file, std::string(48, 'k'));
        bridge_options options;
        options.edit_config = [clients = std::move(clients), key_file](json::object& c) {
            json::array list;
            for (const json::object& client : clients) {
                list.push_back(client);
            }
            c["oauth"] = {{"signing_keys", {{{"id", "1"}, {"key_file", key_file}}}},
                          {"clients", std::move(list)}};
        };
        auto bridge = std::make_unique<bridge_fixture>(*slapd_, options);
        bridge->start();
        return bridge;
    }

    /// POST /oauth/token as curl sends it (-d, -u).
    static http_reply ask_token(const bridge_fixture& b, const std::string& id,
                                const std::string& secret) {
        return curl({"-d", "grant_type=client_credentials", "-u", id + ":" + secret,
                     "http://127.0.0.1:" + std::to_string(b.port()) + "/oauth/token"});
    }

    static inline std::unique_ptr<slapd_launcher> slapd_;
};

TEST_F(Tokens, TokenNewPrintsATokenWhoseConfigLineOpensTheTenant) {
    const command_output made =
        run_bridge_command("token new --tenant default --name okta-new --expires 90d");
    ASSERT_EQ(made.status, 0);
    ASSERT_EQ(made.lines.size(), 2u);
    const std::string& token = made.lines[0];
    const json::object line = json::parse(made.lines[1]).as_object();
    EXPECT_EQ(line.at("name").as_string(), "okta-new");
    EXPECT_TRUE(line.contains("not_after"));

    const auto bridge = bridge_with({line}, false);
    expect_list_response(list_users(*bridge, token));
    // The old fixture tokens are gone from this config.
    expect_invalid_token(list_users(*bridge, bridge_fixture::default_token));
}

TEST_F(Tokens, ExpiredTokenIs401WithAScimErrorSayingSo) {
    const auto bridge = bridge_with({expired_token_line("okta-expired", "expired-token-value")});
    const http_reply r = list_users(*bridge, "expired-token-value");
    EXPECT_EQ(r.status, 401u) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/scim+json");
    const json::object body = r.json().as_object();
    EXPECT_EQ(body.at("schemas").at(0).as_string(), "urn:ietf:params:scim:api:messages:2.0:Error");
    EXPECT_EQ(body.at("status").as_string(), "401");
    EXPECT_NE(body.at("detail").as_string().find("has expired"), json::string::npos) << r.body;
    EXPECT_EQ(r.header("WWW-Authenticate"),
              "Bearer realm=\"scim\", error=\"invalid_token\", error_description=\"the token has "
              "expired\"");
    // The tenant's unexpired token keeps working.
    expect_list_response(list_users(*bridge, bridge_fixture::default_token));
}

TEST_F(Tokens, TwoTokensOfOneTenantBothWorkThenTheOldOneIsRevoked) {
    const command_output made = run_bridge_command("token new --tenant default --name okta-next");
    ASSERT_EQ(made.status, 0);
    const json::object next = json::parse(made.lines.at(1)).as_object();
    {
        // Rotation, step 1: the new token beside the old one.
        const auto bridge = bridge_with({next});
        expect_list_response(list_users(*bridge, bridge_fixture::default_token));
        expect_list_response(list_users(*bridge, made.lines[0]));
    }
    // Step 2: the old one removed from the config; a service built from it refuses it.
    const json::object classlark{{"name", "classlark-idp"},
                                 {"sha256", auth::hash_token(bridge_fixture::classlark_token)},
                                 {"tenant", "classlark"}};
    const auto bridge = bridge_with({next, classlark}, false);
    expect_invalid_token(list_users(*bridge, bridge_fixture::default_token));
    expect_list_response(list_users(*bridge, made.lines[0]));
}

TEST_F(Tokens, TokenListShowsNamesTenantsAndExpiryButNoHash) {
    const auto bridge = bridge_with({expired_token_line("okta-expired", "expired-token-value")});
    const command_output listed =
        run_bridge_command("token list --config " + bridge->config_file());
    ASSERT_EQ(listed.status, 0);
    ASSERT_EQ(listed.lines.size(), 3u);
    EXPECT_EQ(listed.lines[0], "token default-idp tenant=default not_after=never");
    EXPECT_EQ(listed.lines[1], "token classlark-idp tenant=classlark not_after=never");
    EXPECT_EQ(listed.lines[2].rfind("token okta-expired tenant=default not_after=", 0), 0u);
    EXPECT_EQ(listed.lines[2].substr(listed.lines[2].size() - 8), " expired");
    for (const std::string& line : listed.lines) {
        EXPECT_EQ(line.find(auth::hash_token(bridge_fixture::default_token)), std::string::npos);
        EXPECT_EQ(line.find(auth::hash_token("expired-token-value")), std::string::npos);
    }
}

TEST_F(Tokens, NewClientFromTheCliGetsAnAccessTokenThenIsRevoked) {
    const command_output made = run_bridge_command("token new-client --tenant default");
    ASSERT_EQ(made.status, 0);
    ASSERT_EQ(made.lines.size(), 3u);
    const std::string& id = made.lines[0];
    const std::string& secret = made.lines[1];
    const json::object line = json::parse(made.lines[2]).as_object();
    std::string token;
    {
        const auto bridge = bridge_with_clients({line});
        const http_reply issued = ask_token(*bridge, id, secret);
        ASSERT_EQ(issued.status, 200u) << issued.body;
        token = std::string(issued.json().at("access_token").as_string());
        expect_list_response(list_users(*bridge, token));
    }
    // Another client only: the removed client's token, still unexpired, is refused, and so is
    // its secret.
    const json::object other{{"client_id", "other-client"},
                             {"secret_sha256", auth::hash_token("other-secret")},
                             {"tenant", "default"},
                             {"name", "other"}};
    const auto bridge = bridge_with_clients({other});
    expect_invalid_token(list_users(*bridge, token));
    EXPECT_EQ(ask_token(*bridge, id, secret).status, 401u);
}

TEST_F(Tokens, CheckNamesTheJsonPathOfAShortSigningKey) {
    const std::string short_key = slapd_->dir() + "/short.key";
    write_private_file(short_key, "only-20-bytes-here!!\n");
    const std::string config = slapd_->dir() + "/check-short-key.json";
    json::object c =
        json::parse(bridge_config_json(slapd_->uri(), slapd_->service_password_file())).as_object();
    c["oauth"] = {{"signing_keys", {{{"id", "1"}, {"key_file", short_key}}}},
                  {"clients",
                   {{{"client_id", "c1"},
                     {"secret_sha256", auth::hash_token("s")},
                     {"tenant", "default"},
                     {"name", "c1"}}}}};
    std::ofstream(config) << json::serialize(c);
    const std::string out = make_temp_file("scimldap-check");
    const int status = run({SCIMLDAP_BRIDGE_BINARY, "check", "--config", config}, out);
    const std::string output = read_file(out);
    std::filesystem::remove(out);
    EXPECT_EQ(status, 1) << output;
    EXPECT_NE(output.find(config + ": oauth.signing_keys[0].key_file: " + short_key +
                          " holds 20 bytes; a signing key needs at least 32"),
              std::string::npos)
        << output;
    EXPECT_EQ(output.find("only-20-bytes-here"), std::string::npos);  // never the key
}

}  // namespace
}  // namespace scimldap::testing
