#include "cli/output.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace getmesh::cli {
namespace {

// A server's Status message, a file name or a plugin's stderr end up in diagnostics: none of them
// may move the cursor, clear the screen or set the window title.
TEST(Output, DiagnosticsEscapeControlCharacters) {
  std::ostringstream out, err;
  Output output(out, err, false, false, false, false);
  output.error(
      runtime_error("pods is forbidden\x1b[2J\x1b]0;pwned\x07 \xc2\x9b"
                    "31m",
                    "ask\rthe admin"));
  output.warn("tab\tand\nnewline stay");
  output.note("bell\x07");
  EXPECT_EQ(err.str(),
            "error: pods is forbidden\\x1b[2J\\x1b]0;pwned\\x07 \\u009b31m\n"
            "hint: ask\\x0dthe admin\n"
            "warning: tab\tand\nnewline stay\n"
            "note: bell\\x07\n");
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace getmesh::cli
