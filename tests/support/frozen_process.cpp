#include "tests/support/frozen_process.hpp"

#include "tests/support/bridge_fixture.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace scimldap::testing {

bool all_threads_stopped(pid_t pid) {
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
        std::ifstream in(task.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto name_end = stat.rfind(')');
        if (name_end == std::string::npos || stat.size() < name_end + 3 ||
            stat[name_end + 2] != 'T') {
            return false;
        }
    }
    return !ec;
}

void stop_directory(pid_t pid) {
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    ASSERT_TRUE(eventually([&] { return all_threads_stopped(pid); }, std::chrono::seconds(5)));
}

frozen_directory::frozen_directory(pid_t pid) : pid_(pid) {
    stop_directory(pid_);
}

void frozen_directory::resume() {
    if (pid_ > 0) {
        EXPECT_EQ(::kill(pid_, SIGCONT), 0);
        pid_ = -1;
    }
}

}  // namespace scimldap::testing
