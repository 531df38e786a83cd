// check-macos expects an error naming: environ
// Linux-only: macOS's unistd.h does not declare environ (getmesh uses posix::environment).
#include <unistd.h>

char** environment_block() { return environ; }
