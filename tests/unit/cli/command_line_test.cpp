#include "bridge/cli/command_line.hpp"
#include "bridge/auth/token_hash.hpp"
#include "bridge/cli/commands.hpp"
#include "bridge/cli/secret_file.hpp"
#include "bridge/cli/signing_key_files.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace scimldap::cli {
namespace {

TEST(CommandLine, ServeTakesConfigListenAndRepeatedLdapUris) {
    const auto cl = parse_command_line({"serve", "--config", "/etc/b.json", "--listen=0.0.0.0:9000",
                                        "--ldap-uri", "ldap://a", "--ldap-uri", "ldap://b"});
    ASSERT_TRUE(cl) << cl.error().message;
    EXPECT_EQ(cl->command, command_kind::serve);
    EXPECT_EQ(cl->config_file, "/etc/b.json");
    ASSERT_EQ(cl->overrides.size(), 2u);
    EXPECT_EQ(cl->overrides[0].key, "listen");
    EXPECT_EQ(cl->overrides[0].value, "0.0.0.0:9000");
    EXPECT_EQ(cl->overrides[1].key, "ldap.uris");
    EXPECT_EQ(cl->overrides[1].value, "ldap://a,ldap://b");
}

TEST(CommandLine, ServeWithoutConfigIsAUsageError) {
    EXPECT_FALSE(parse_command_line({"serve"}));
}

TEST(CommandLine, UnknownOptionIsAUsageError) {
    const auto cl = parse_command_line({"check", "--config", "x", "--bogus"});
    ASSERT_FALSE(cl);
    EXPECT_NE(cl.error().message.find("--bogus"), std::string::npos);
}

TEST(CommandLine, CheckTakesLiveWithoutAValue) {
    const auto offline = parse_command_line({"check", "--config", "c.json"});
    ASSERT_TRUE(offline) << offline.error().message;
    EXPECT_FALSE(offline->live);
    const auto live = parse_command_line({"check", "--live", "--config", "c.json"});
    ASSERT_TRUE(live) << live.error().message;
    EXPECT_TRUE(live->live);
    EXPECT_FALSE(parse_command_line({"check", "--config", "c.json", "--live=yes"}));
    EXPECT_FALSE(parse_command_line({"serve", "--config", "c.json", "--live"}));
}

TEST(CommandLine, MissingValueIsAUsageError) {
    EXPECT_FALSE(parse_command_line({"check", "--config"}));
}

TEST(CommandLine, HashTokenTakesATokenOrAFileNotBoth) {
    EXPECT_EQ(*parse_command_line({"hash-token", "abc"})->token, "abc");
    EXPECT_EQ(*parse_command_line({"hash-token", "--file", "/t"})->token_file, "/t");
    EXPECT_FALSE(parse_command_line({"hash-token", "abc", "--file", "/t"}));
    EXPECT_FALSE(parse_command_line({"hash-token", "a", "b"}));
}

TEST(CommandLine, VersionAndHelp) {
    EXPECT_EQ(parse_command_line({"--version"})->command, command_kind::version);
    EXPECT_EQ(parse_command_line({"--help"})->command, command_kind::help);
    EXPECT_EQ(parse_command_line({"serve", "--help"})->command, command_kind::help);
}

TEST(CommandLine, NoArgumentsOrUnknownCommandAreUsageErrors) {
    EXPECT_FALSE(parse_command_line({}));
    EXPECT_FALSE(parse_command_line({"frobnicate"}));
}

TEST(SecretFile, TrailingNewlineIsTrimmedButInnerWhitespaceKept) {
    const auto path = std::filesystem::temp_directory_path() / "scimldap-secret-test";
    std::ofstream(path) << " pass word\r\n";
    EXPECT_EQ(read_secret_file(path.string()), " pass word");
    std::filesystem::remove(path);
}

TEST(CommandLine, ExplainTakesSearchOrReverseNotBoth) {
    const auto search = parse_command_line({"explain", "--config", "c.json", "--search"});
    ASSERT_TRUE(search);
    EXPECT_TRUE(search->search);
    EXPECT_FALSE(search->reverse);
    const auto both =
        parse_command_line({"explain", "--config", "c.json", "--search", "--reverse"});
    ASSERT_FALSE(both);
    EXPECT_NE(both.error().message.find("not both"), std::string::npos);
}

TEST(SecretFile, MissingFileNamesThePath) {
    try {
        read_secret_file("/nonexistent/secret");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/secret"), std::string::npos);
    }
}

TEST(SecretFile, CredentialsDirectoryIsExpanded) {
    ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/x.service", 1);
    EXPECT_EQ(expand_credentials_path("${CREDENTIALS_DIRECTORY}/ldap.password"),
              "/run/credentials/x.service/ldap.password");
    EXPECT_EQ(expand_credentials_path("/etc/plain"), "/etc/plain");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_THROW(expand_credentials_path("${CREDENTIALS_DIRECTORY}/x"), std::runtime_error);
}

TEST(CommandLine, TokenNewTakesTenantNameAndExpiry) {
    const auto cl = parse_command_line(
        {"token", "new", "--tenant", "default", "--name", "okta-2027", "--expires", "90d"});
    ASSERT_TRUE(cl) << cl.error().message;
    EXPECT_EQ(cl->command, command_kind::token_new);
    EXPECT_EQ(cl->tenant, "default");
    EXPECT_EQ(cl->label, "okta-2027");
    EXPECT_EQ(cl->expires, std::chrono::hours(24 * 90));
}

TEST(CommandLine, TokenCommandsRefuseWhatTheyCannotRun) {
    const auto no_tenant = parse_command_line({"token", "new"});
    ASSERT_FALSE(no_tenant);
    EXPECT_NE(no_tenant.error().message.find("token new needs --tenant NAME"), std::string::npos);
    const auto bad_expiry = parse_command_line({"token", "new", "--tenant", "t", "--expires", "3"});
    ASSERT_FALSE(bad_expiry);
    EXPECT_NE(bad_expiry.error().message.find("--expires takes a duration"), std::string::npos);
    EXPECT_FALSE(parse_command_line({"token", "new", "--tenant", "t", "--expires", "0d"}));
    const auto bare = parse_command_line({"token"});
    ASSERT_FALSE(bare);
    EXPECT_NE(bare.error().message.find("new, new-client or list"), std::string::npos);
    EXPECT_FALSE(parse_command_line({"token", "frobnicate"}));
    EXPECT_FALSE(parse_command_line({"token", "list"}));  // needs --config
    EXPECT_FALSE(parse_command_line({"token", "new-client"}));
    EXPECT_FALSE(parse_command_line({"token", "new", "--tenant", "t", "--client-id", "x"}));
}

TEST(CommandLine, TokenNewClientAndListParse) {
    const auto client =
        parse_command_line({"token", "new-client", "--tenant", "t", "--client-id", "entra-1"});
    ASSERT_TRUE(client) << client.error().message;
    EXPECT_EQ(client->command, command_kind::token_new_client);
    EXPECT_EQ(client->client_id, "entra-1");
    const auto list = parse_command_line({"token", "list", "--config", "c.json"});
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ(list->command, command_kind::token_list);
    EXPECT_EQ(list->config_file, "c.json");
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

const auto december_6 = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} +
                        std::chrono::hours{14} + std::chrono::minutes{51};

TEST(TokenCommand, NewPrintsTheTokenAndTheConfigLineWithItsHash) {
    const auto cl = parse_command_line(
        {"token", "new", "--tenant", "default", "--name", "okta", "--expires", "90d"});
    std::ostringstream out, err;
    ASSERT_EQ(run_token(*cl, out, err, december_6), exit_ok) << err.str();
    const auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 2u) << out.str();
    const std::string& token = lines[0];
    EXPECT_EQ(token.size(), 43u);  // 32 random bytes, unpadded base64url
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_"),
              std::string::npos);
    EXPECT_EQ(lines[1], R"({"name":"okta","tenant":"default","sha256":")" +
                            auth::hash_token(token) + R"(","not_after":"2027-03-06T14:51:00Z"})");
    EXPECT_NE(err.str().find("not shown again"), std::string::npos);
}

TEST(TokenCommand, NewWithoutExpiryOrNameGetsADatedNameAndNoNotAfter) {
    const auto cl = parse_command_line({"token", "new", "--tenant", "default"});
    std::ostringstream out, err;
    ASSERT_EQ(run_token(*cl, out, err, december_6), exit_ok);
    const auto line = boost::json::parse(lines_of(out.str()).at(1)).as_object();
    EXPECT_EQ(line.at("name").as_string(), "default-20261206-1451");
    EXPECT_FALSE(line.contains("not_after"));
}

TEST(TokenCommand, TwoNewTokensDiffer) {
    const auto cl = parse_command_line({"token", "new", "--tenant", "default"});
    std::ostringstream a, b, err;
    run_token(*cl, a, err, december_6);
    run_token(*cl, b, err, december_6);
    EXPECT_NE(lines_of(a.str()).at(0), lines_of(b.str()).at(0));
}

TEST(TokenCommand, NewClientPrintsIdSecretAndTheConfigLine) {
    const auto cl = parse_command_line({"token", "new-client", "--tenant", "classlark"});
    std::ostringstream out, err;
    ASSERT_EQ(run_token(*cl, out, err, december_6), exit_ok);
    const auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 3u) << out.str();
    EXPECT_EQ(lines[0].rfind("classlark-", 0), 0u) << lines[0];
    EXPECT_EQ(lines[1].size(), 43u);
    const auto line = boost::json::parse(lines[2]).as_object();
    EXPECT_EQ(line.at("client_id").as_string(), lines[0]);
    EXPECT_EQ(line.at("secret_sha256").as_string(), auth::hash_token(lines[1]));
    EXPECT_EQ(line.at("tenant").as_string(), "classlark");
    EXPECT_EQ(line.at("name").as_string(), lines[0]);
}

TEST(TokenCommand, NewClientKeepsAGivenClientIdAndName) {
    const auto cl = parse_command_line(
        {"token", "new-client", "--tenant", "t", "--client-id", "entra-1", "--name", "entra"});
    std::ostringstream out, err;
    ASSERT_EQ(run_token(*cl, out, err, december_6), exit_ok);
    const auto lines = lines_of(out.str());
    EXPECT_EQ(lines.at(0), "entra-1");
    const auto line = boost::json::parse(lines.at(2)).as_object();
    EXPECT_EQ(line.at("name").as_string(), "entra");
}

class SigningKeyFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("scimldap-keys-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        config_.oauth.emplace();
    }
    void TearDown() override {
        std::filesystem::remove_all(dir_);
        ::unsetenv("CREDENTIALS_DIRECTORY");
    }
    std::string write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name) << content;
        // Keys must be private (bridge/cli/secret_file): 0600, as an admin would make them.
        std::filesystem::permissions(
            dir_ / name, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        return (dir_ / name).string();
    }
    std::filesystem::path dir_;
    mapping::config config_;
};

TEST_F(SigningKeyFiles, KeysAreReadWithoutTheTrailingNewline) {
    const std::string key(44, 'q');
    config_.oauth->signing_keys.push_back({"a", write("a.key", key + "\n"), ""});
    ::setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
    write("b.key", std::string(32, 'r'));
    config_.oauth->signing_keys.push_back({"b", "${CREDENTIALS_DIRECTORY}/b.key", ""});
    const auto errors = read_signing_keys(config_, "bridge.json");
    EXPECT_TRUE(errors.empty()) << errors.front().to_string();
    EXPECT_EQ(config_.oauth->signing_keys[0].secret, key);
    EXPECT_EQ(config_.oauth->signing_keys[1].secret, std::string(32, 'r'));
}

TEST_F(SigningKeyFiles, ShortOrMissingKeysAreErrorsAtTheirPath) {
    config_.oauth->signing_keys.push_back({"a", write("a.key", std::string(31, 'q')), ""});
    config_.oauth->signing_keys.push_back({"b", (dir_ / "missing.key").string(), ""});
    const auto errors = read_signing_keys(config_, "bridge.json");
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].to_string().rfind("bridge.json: oauth.signing_keys[0].key_file: ", 0), 0u)
        << errors[0].to_string();
    EXPECT_NE(errors[0].message.find("holds 31 bytes; a signing key needs at least 32"),
              std::string::npos);
    EXPECT_EQ(errors[0].message.find(std::string(31, 'q')), std::string::npos);  // never shown
    EXPECT_EQ(errors[1].path, "oauth.signing_keys[1].key_file");
    EXPECT_NE(errors[1].message.find("missing.key"), std::string::npos);
    EXPECT_TRUE(config_.oauth->signing_keys[0].secret.empty());
}

}  // namespace
}  // namespace scimldap::cli
