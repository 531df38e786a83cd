#include "ca/interrupt.hpp"

#include <thread>

namespace getmesh::ca {

namespace {

volatile std::sig_atomic_t received = 0;

void remember(int signal_number) { received = signal_number; }

}  // namespace

InterruptGuard::InterruptGuard() {
  received = 0;
  struct sigaction action {};
  action.sa_handler = remember;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous_interrupt_);
  ::sigaction(SIGTERM, &action, &previous_terminate_);
}

InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGINT, &previous_interrupt_, nullptr);
  ::sigaction(SIGTERM, &previous_terminate_, nullptr);
}

bool InterruptGuard::interrupted() const { return received != 0; }

void InterruptGuard::sleep_for(std::chrono::milliseconds duration) const {
  constexpr auto kStep = std::chrono::milliseconds(50);
  for (auto left = duration; left.count() > 0 && !interrupted(); left -= kStep) {
    std::this_thread::sleep_for(std::min(left, kStep));
  }
}

}  // namespace getmesh::ca
