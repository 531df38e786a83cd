// check-macos expects an error naming: to_chars
// Needs macOS 13.3: libc++'s availability markup for macOS 11 rejects it, as Xcode's does.
#include <charconv>

char* format(char* begin, char* end, double value) { return std::to_chars(begin, end, value).ptr; }
