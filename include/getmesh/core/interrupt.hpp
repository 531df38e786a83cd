#pragma once

// Ctrl-C as a request to stop rather than an instant death, for work that must clean up and say
// how to go on (a download: its staging directory goes, its bytes so far stay for a resume).

#include <getmesh/core/result.hpp>

#include <chrono>
#include <csignal>

namespace getmesh {

// While it lives, SIGINT and SIGTERM only set a flag that long operations poll (interrupted(),
// the HTTP client between its waits); the previous handlers come back when it ends. One at a time.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
};

// A signal arrived while an InterruptScope lived (and none has been created since).
bool interrupted();
// The exit code of a command stopped that way: 128 + the signal, as a shell reports it (130 for
// SIGINT, 143 for SIGTERM); still that signal's after a fresh InterruptScope for the clean-up.
int interrupted_exit_code();
// Sleeps for `duration`, or less when interrupted; false when interrupted.
bool sleep_unless_interrupted(std::chrono::milliseconds duration);
// The error of an operation stopped by interrupted(): kind kCancelled, "interrupted by Ctrl-C" or
// "interrupted (SIGTERM)" (the CLI exits with interrupted_exit_code() for it).
Error interrupted_error();

}  // namespace getmesh
