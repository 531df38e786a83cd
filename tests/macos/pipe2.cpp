// check-macos expects an error naming: pipe2
// Linux-only: macOS has no pipe2 (getmesh uses posix::pipe_cloexec).
#include <fcntl.h>
#include <unistd.h>

int make_pipe(int fds[2]) { return ::pipe2(fds, O_CLOEXEC); }
