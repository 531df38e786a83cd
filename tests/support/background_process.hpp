#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace getmesh::testing {

// A long-running child (a server) started from argv, never a shell, with stdout and stderr sent to
// `output`. Stopped with SIGTERM (then SIGKILL) when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& output);
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess();

  // False once the child has exited.
  bool running();
  void stop();

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();
// Waits until something accepts connections on 127.0.0.1:`port`, or `process` exits, or 10 s pass.
bool wait_for_port(int port, BackgroundProcess& process);

}  // namespace getmesh::testing
