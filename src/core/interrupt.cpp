#include <getmesh/core/interrupt.hpp>

#include <algorithm>
#include <thread>

namespace getmesh {

namespace {

volatile std::sig_atomic_t received = 0;
// The last signal received under any scope: a fresh scope (for a clean-up after the interrupt)
// forgets `received`, but the exit code and the message still name this one.
volatile std::sig_atomic_t last_received = 0;

void remember(int signal_number) {
  received = signal_number;
  last_received = signal_number;
}

int reported_signal() {
  if (received != 0) return received;
  return last_received != 0 ? last_received : SIGINT;
}

}  // namespace

InterruptScope::InterruptScope() {
  received = 0;
  struct sigaction action {};
  action.sa_handler = remember;
  sigemptyset(&action.sa_mask);  // no SA_RESTART: a wait in poll() returns at once
  ::sigaction(SIGINT, &action, &previous_interrupt_);
  ::sigaction(SIGTERM, &action, &previous_terminate_);
}

InterruptScope::~InterruptScope() {
  ::sigaction(SIGINT, &previous_interrupt_, nullptr);
  ::sigaction(SIGTERM, &previous_terminate_, nullptr);
}

bool interrupted() { return received != 0; }

int interrupted_exit_code() { return 128 + reported_signal(); }

bool sleep_unless_interrupted(std::chrono::milliseconds duration) {
  constexpr auto kStep = std::chrono::milliseconds(50);
  for (auto left = duration; left.count() > 0 && !interrupted(); left -= kStep) {
    std::this_thread::sleep_for(std::min(left, kStep));
  }
  return !interrupted();
}

Error interrupted_error() {
  return Error{ErrorKind::kCancelled,
               reported_signal() == SIGTERM ? "interrupted (SIGTERM)" : "interrupted by Ctrl-C",
               ""};
}

}  // namespace getmesh
