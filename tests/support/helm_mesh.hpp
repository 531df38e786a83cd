#pragma once

// A cluster whose mesh Helm installed, for the tests of getmesh upgrade: the test API server (with
// its workload controller), the test helm (tests/servers/fake_helm.py), the test istioctl and a
// chart repository served by nginx.

#include "support/fake_home.hpp"
#include "support/kube_api_server.hpp"
#include "support/nginx.hpp"
#include "support/run_getmesh.hpp"

#include <getmesh/kube/client.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace getmesh::testing {

// A chart archive as `helm package` makes one (its Chart.yaml).
std::string chart_archive(const std::string& name, const std::string& version);

// Istio's charts (base, istiod, gateway, cni, ztunnel) at each of `versions`, and their
// index.yaml (relative URLs, SHA-256 digests), written to `directory`.
void write_chart_repository(const std::filesystem::path& directory,
                            const std::vector<std::string>& versions);

class HelmMeshTest : public ::testing::Test {
 protected:
  // The versions the tests upgrade from and to (the store has both istioctls, the repository
  // both charts).
  static constexpr const char* kFrom = "1.30.8";
  static constexpr const char* kTo = "1.31.4";

  void SetUp() override;

  // Starts the test API server (its controller on) with `objects`, and the kubeconfig for it.
  void start_cluster(nlohmann::json objects);
  // `helm upgrade --install <release> <chart>-<version>.tgz -n <namespace> -f <values>`.
  void install(const std::string& release, const std::string& chart, const std::string& version,
               const std::string& namespace_name, const nlohmann::json& values);
  // Until the controller made at least `count` proxies.
  void wait_for_proxies(std::size_t count);

  std::map<std::string, std::string> environment(std::map<std::string, std::string> env = {});
  void helm(const std::vector<std::string>& args);
  // getmesh with the kubeconfig and the test chart repository.
  RunResult getmesh(std::vector<std::string> args, std::map<std::string, std::string> env = {});
  // The helm calls so far, without the --kubeconfig and --kube-context every one names (an
  // unbound one is marked UNBOUND) and the work folder; clears the log.
  std::vector<std::string> helm_calls();

  nlohmann::json get(const std::string& path);
  nlohmann::json labels_of(const std::string& name);
  // "<namespace>/<revision>/<proxy image tag>" of every pod with an istio-proxy, sorted.
  std::vector<std::string> proxies();
  std::vector<std::string> istiod_revisions();
  // "<name> v<release version>" of each deployed release, as helm lists them.
  std::vector<std::string> releases();
  std::string tag_revision(const std::string& tag);
  nlohmann::json record();
  // Requests of getmesh's own (not the test helm's) that changed something, since the last
  // forget_requests().
  std::vector<std::string> getmesh_writes();
  // Leaves the requests so far (the tests' own set-up) out of getmesh_writes().
  void forget_requests();

  FakeHome fake;
  std::filesystem::path manifest_;
  std::filesystem::path log_;
  std::filesystem::path helm_log_;
  std::unique_ptr<Nginx> nginx_;
  std::unique_ptr<KubeApiServer> server_;
  std::unique_ptr<kube::Client> client_;
  std::string kubeconfig_;
  std::size_t forgotten_requests_ = 0;
};

}  // namespace getmesh::testing
