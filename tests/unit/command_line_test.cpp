#include "bridge/cli/command_line.hpp"
#include "bridge/cli/secret_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace scimldap::cli
