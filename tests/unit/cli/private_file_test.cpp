// A secret file (password, private key) others can read or write is refused, by name, with the
// fix; a private one is read.
#include "bridge/cli/secret_file.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace scimldap::cli {
namespace {

class PrivateFile : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = (std::filesystem::temp_directory_path() /
                 ("scimldap-private-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                    .string();
        std::ofstream(path_) << "s3cret\n";
    }
    void TearDown() override { std::filesystem::remove(path_); }
    void set_mode(mode_t mode) const { ASSERT_EQ(::chmod(path_.c_str(), mode), 0); }
    std::string path_;
};

TEST_F(PrivateFile, OwnerOnlyModesPass) {
    for (const mode_t mode : {0600, 0400, 0700}) {
        set_mode(mode);
        EXPECT_EQ(check_private_file(path_), std::nullopt) << std::oct << mode;
    }
    EXPECT_EQ(read_private_file(path_), "s3cret");
}

TEST_F(PrivateFile, AnyGroupOrOtherPermissionIsRefusedWithTheFileAndTheFix) {
    for (const mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610, 0601}) {
        set_mode(mode);
        const auto refusal = check_private_file(path_);
        ASSERT_TRUE(refusal) << std::oct << mode;
        EXPECT_NE(refusal->find(path_), std::string::npos) << *refusal;
        EXPECT_NE(refusal->find("chmod 600 " + path_), std::string::npos) << *refusal;
        EXPECT_EQ(refusal->find("s3cret"), std::string::npos) << "the content never shows";
    }
}

TEST_F(PrivateFile, ReadingAnUnprotectedFileThrowsTheRefusal) {
    set_mode(0644);
    try {
        read_private_file(path_);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("mode 0644"), std::string::npos) << e.what();
    }
}

TEST_F(PrivateFile, AMissingFileIsRefusedByName) {
    const auto refusal = check_private_file(path_ + ".missing");
    ASSERT_TRUE(refusal);
    EXPECT_NE(refusal->find(path_ + ".missing"), std::string::npos) << *refusal;
}

}  // namespace
}  // namespace scimldap::cli
