// check-macos expects an error naming: sigemptyset
// Linux-only: on macOS sigemptyset is a macro, which `::` cannot qualify.
#include <csignal>

int clear(sigset_t* set) { return ::sigemptyset(set); }
