// check-macos expects an error naming: st_mtim
// Linux-only: macOS spells it st_mtimespec (getmesh uses posix::modification_time_ns).
#include <sys/stat.h>

long nanoseconds(const struct stat& info) { return info.st_mtim.tv_nsec; }
