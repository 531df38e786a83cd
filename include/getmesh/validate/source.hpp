#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/validate/analyze.hpp>
#include <getmesh/validate/resource.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace getmesh::validate {

// What a cluster holds for the checks. Objects keep their Origin empty (they come from no file).
struct ClusterState {
  std::vector<Resource> resources;
  // Kinds read in full. Kinds the cluster does not serve count as read (it has none of them);
  // kinds it would not let us list (Secrets, usually) do not.
  KindSet complete;
  bool serves_istio = false;          // whether any Istio configuration kind is served
  std::vector<std::string> warnings;  // what could not be read, and which checks that weakens
};

// Where the cluster's objects come from: the live cluster of a kubeconfig context, or a fake in
// tests.
class ResourceSource {
 public:
  virtual ~ResourceSource() = default;
  // Every object of `kinds`, in every namespace. Fails when the cluster cannot be reached or an
  // Istio or Kubernetes kind the checks rely on cannot be listed.
  virtual Result<ClusterState> read(std::span<const Kind> kinds) = 0;
  // One Secret with its data (for --read-secrets), or nullopt when it does not exist.
  virtual Result<std::optional<Resource>> read_secret(const std::string& namespace_,
                                                      const std::string& name) = 0;
  // Names the cluster for messages: `context "kind-dev" (https://127.0.0.1:6443)`.
  [[nodiscard]] virtual std::string describe() const = 0;
};

// The kinds config-validate reads from a cluster: every Istio kind plus the Kubernetes kinds the
// checks need.
std::span<const Kind> cluster_kinds();

// The world the checks see: the cluster's objects with the files' objects laid over them (a file
// object replaces the cluster object of the same kind, namespace and name).
std::vector<Resource> overlay(std::vector<Resource> cluster, std::vector<Resource> files);

}  // namespace getmesh::validate
