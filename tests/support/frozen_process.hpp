// Freezing a process (slapd) with SIGSTOP for tests of a directory that stops answering.
#pragma once

#include <sys/types.h>

namespace scimldap::testing {

/// Whether every thread of the process is stopped (state T in /proc/PID/task/TID/stat).
bool all_threads_stopped(pid_t pid);

/// SIGSTOP, then waits until the stop took effect: it is asynchronous, and a thread of slapd that
/// is still running would answer the next operation.
void stop_directory(pid_t pid);

/// slapd stopped (SIGSTOP) for the guard's lifetime, resumed (SIGCONT) by resume() or at the
/// latest when the guard goes, so a failing assertion never leaves the directory frozen.
class frozen_directory {
public:
    explicit frozen_directory(pid_t pid);
    ~frozen_directory() { resume(); }
    frozen_directory(const frozen_directory&) = delete;
    frozen_directory& operator=(const frozen_directory&) = delete;
    void resume();

private:
    pid_t pid_;
};

}  // namespace scimldap::testing
