#pragma once

#include <map>
#include <string>
#include <vector>

namespace getmesh::testing {

enum class TerminalStream { kStdout, kStderr };

struct TerminalRunResult {
  int exit_code = -1;
  std::string terminal;  // what the stream on the pseudo-terminal received
  std::string pipe;      // what the other stream received
};

// Runs the built getmesh with `terminal` on a pseudo-terminal and the other output stream on a
// pipe (stdin is /dev/null), so tests can check what getmesh does on a terminal. The child's
// environment is PATH, TERM=xterm and `env` only.
// With an `answer`, stdin is the terminal too, and `answer` and a newline are typed when getmesh
// asks a question ("[y/N]" on the terminal).
// With `interrupt_when`, the terminal is getmesh's controlling terminal (getmesh leads its own
// session), and Ctrl-C is typed once the terminal shows that text: the terminal sends SIGINT, as
// for a user.
TerminalRunResult run_getmesh_on_terminal(const std::vector<std::string>& args,
                                          TerminalStream terminal,
                                          const std::map<std::string, std::string>& env,
                                          const std::string& answer = {},
                                          const std::string& interrupt_when = {});

}  // namespace getmesh::testing
