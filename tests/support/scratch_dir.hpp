#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace scimldap::testing {

/// A fresh directory of the test's own, removed when it goes out of scope. ctest runs tests of
/// one binary in parallel processes, so a fixed name under /tmp is shared by tests that race.
class scratch_dir {
public:
    explicit scratch_dir(const std::string& prefix = "scimldap-test") {
        std::string templ =
            (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(templ.data()) == nullptr) {
            throw std::runtime_error("cannot make a scratch directory " + templ);
        }
        path_ = templ;
    }
    ~scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace scimldap::testing
