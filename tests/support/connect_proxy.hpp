#pragma once

#include "support/loopback_server.hpp"
#include "support/temp_dir.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace getmesh::testing {

// tests/servers/connect_proxy.py: an HTTP CONNECT proxy on 127.0.0.1 that records the targets it
// was asked for. `names` are resolved by the proxy itself (name -> loopback IP), so a test can use
// a server name that only the proxy knows.
class ConnectProxy {
 public:
  explicit ConnectProxy(const std::map<std::string, std::string>& names = {});

  [[nodiscard]] std::string url() const { return server_->url(); }
  // The "host:port" targets of every CONNECT so far, in order.
  [[nodiscard]] std::vector<std::string> targets() const;

 private:
  TempDir dir_;
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace getmesh::testing
