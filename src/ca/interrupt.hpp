#pragma once

// Turning Ctrl-C into a flag during a long wait. Private to src/ca.

#include <chrono>
#include <csignal>

namespace getmesh::ca {

// While it lives, SIGINT and SIGTERM only set a flag instead of ending the process, so that a
// wait can delete what it created in a cluster before it stops. The previous handlers are put
// back when it is destroyed. One at a time.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  [[nodiscard]] bool interrupted() const;
  // Sleeps for `duration`, or less when a signal arrives.
  void sleep_for(std::chrono::milliseconds duration) const;

 private:
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
};

}  // namespace getmesh::ca
