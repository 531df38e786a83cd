#pragma once

#include <getmesh/ca/types.hpp>
#include <getmesh/core/result.hpp>

#include <chrono>
#include <optional>

namespace getmesh::ca {

struct BundleExpectations {
  std::optional<int> path_len;  // the CA's required pathLenConstraint; nullopt: not checked
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// Checks a bundle before anything is written: cert-chain.pem runs from ca-cert.pem to
// root-cert.pem and verifies against root-cert.pem alone; ca-cert.pem is a CA that may sign
// certificates, with the expected path length; ca-key.pem is its private key.
Status check_bundle(const CaBundle& bundle, const BundleExpectations& expectations);

}  // namespace getmesh::ca
