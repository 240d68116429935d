#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace scimldap::testing {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Only async-signal-safe calls between fork and exec: the parent may have other threads.
[[noreturn]] void exec_child(char* const* argv, int output, pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {  // the parent died before prctl took effect
        _exit(127);
    }
    sigset_t none;  // a caller waiting in sigwait() blocks signals; slapd must get them
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int null_in = open("/dev/null", O_RDONLY);
    dup2(null_in, STDIN_FILENO);
    dup2(output, STDOUT_FILENO);
    dup2(output, STDERR_FILENO);
    close_range(3, ~0U, 0);  // libldap and gtest descriptors must not leak into the child
    execv(argv[0], argv);
    _exit(127);
}

}  // namespace

std::string temp_root() {
    const char* tmp = std::getenv("TMPDIR");
    return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

std::string make_temp_file(const std::string& stem) {
    std::string path = temp_root() + "/" + stem + "-XXXXXX";
    const int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) {
        throw_errno("mkostemp " + path);
    }
    close(fd);
    return path;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_private_file(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& output_path) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const int output = open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (output < 0) {
        throw_errno("open " + output_path);
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        exec_child(args.data(), output, parent);
    }
    const int fork_errno = errno;
    close(output);
    if (pid < 0) {
        errno = fork_errno;
        throw_errno("fork for " + argv.at(0));
    }
    return pid;
}

int run(const std::vector<std::string>& argv, const std::string& output_path) {
    const pid_t pid = spawn(argv, output_path);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw_errno("waitpid " + argv.at(0));
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout, int* status) {
    // A pidfd turns "exited?" into a poll with a timeout: no sleeping loop.
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        while (poll(&p, 1, static_cast<int>(timeout.count())) < 0 && errno == EINTR) {
        }
        close(pidfd);
    }
    int local = 0;
    const pid_t reaped = waitpid(pid, status != nullptr ? status : &local, WNOHANG);
    return reaped == pid || (reaped < 0 && errno == ECHILD);
}

}  // namespace scimldap::testing
