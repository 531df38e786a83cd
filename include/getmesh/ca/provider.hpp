#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <functional>
#include <string_view>

namespace getmesh::ca {

// Receives progress notes meant for the user ("waiting for ... to issue").
using Notify = std::function<void(std::string_view)>;

// A certificate authority that issues the intermediate CA. Providers are created by their
// make_*_provider function, which checks everything that can be checked before issuing.
class Provider {
 public:
  virtual ~Provider() = default;
  // Issues a CA certificate for `request` and returns the bundle; leaves nothing behind (no
  // files, no objects in a cluster).
  virtual Result<CaBundle> issue(const IssueRequest& request) = 0;
};

}  // namespace getmesh::ca
