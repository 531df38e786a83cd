#pragma once

#include <cstdint>

struct stat;

// The few POSIX calls whose spelling differs between Linux and macOS, so that modules need no
// platform #ifdefs (docs/macos.md).
namespace getmesh::posix {

// The process's environment block: `environ` (`*_NSGetEnviron()` on macOS).
char** environment();

// pipe() with both ends close-on-exec; 0, or -1 with errno set. Linux has pipe2(O_CLOEXEC);
// macOS has no pipe2, so there the flag is set right after pipe(), and a child that another thread
// starts in between may inherit the ends.
int pipe_cloexec(int fds[2]);

// For a child between fork() and exec: asks the kernel to SIGKILL it when the thread that forked
// it ends, so that it never outlives getmesh (Linux's PR_SET_PDEATHSIG, kept across exec). 0, or
// -1 when `parent` has ended already. Async-signal-safe. macOS has no such call: it does nothing
// and returns 0 (there the child leads its own process group, which the upgrade's claim watches).
int die_with_parent(long parent);

// Whether process `pid` exists and has not ended. On Linux a zombie (ended, not yet reaped) does
// not count (/proc/<pid>/stat); macOS asks kill(pid, 0), which counts it.
bool process_running(long pid);

// The modification time of a stat() result in nanoseconds since the epoch (st_mtim on Linux,
// st_mtimespec on macOS).
std::int64_t modification_time_ns(const struct stat& info);

}  // namespace getmesh::posix
