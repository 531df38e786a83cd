// check-macos expects no error
// The macOS spellings of the constructs above compile, so the errors come from them.
#include <crt_externs.h>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int make_pipe(int fds[2]) { return ::pipe(fds) == 0 ? ::fcntl(fds[0], F_SETFD, FD_CLOEXEC) : -1; }
int clear(sigset_t* set) { return sigemptyset(set); }
long nanoseconds(const struct stat& info) { return info.st_mtimespec.tv_nsec; }
char** environment_block() { return *::_NSGetEnviron(); }
