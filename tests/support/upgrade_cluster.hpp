#pragma once

#include "support/kube_api_server.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace getmesh::testing {

// Objects shaped as istioctl and Istio's sidecar injector leave them, for the upgrade tests.

// A namespace with labels (e.g. {"istio.io/rev": "prod"}).
nlohmann::json labelled_namespace(const std::string& name, const nlohmann::json& labels);
// The istiod Deployment of a revision (with a selector, as istioctl installs it) and its pod.
nlohmann::json istiod_revision(const std::string& revision, const std::string& version,
                               const std::string& namespace_name = "istio-system");
// A Deployment `name` in `namespace_name` and its `replicas` pods, injected by `revision`
// with the proxyv2 image of `version`.
nlohmann::json injected_workload(const std::string& namespace_name, const std::string& name,
                                 const std::string& revision, const std::string& version,
                                 int replicas = 1);
// The `istio-revision-tag-<tag>` webhook pointing at `revision`.
nlohmann::json tag_webhook(const std::string& tag, const std::string& revision);
// An installed-state IstioOperator with `spec`.
nlohmann::json installed_state(const std::string& name, const nlohmann::json& spec,
                               const std::string& namespace_name = "istio-system");
// `objects` with the Deployment `name` marked so that the test server's controller never replaces
// its pods (as if its new pods could not be scheduled).
nlohmann::json with_stuck_deployment(nlohmann::json objects, const std::string& name);
// Appends each object of `objects` (an array) to `into`.
void append(nlohmann::json& into, const nlohmann::json& objects);

// tests/servers/fake_istioctl.py as an istioctl of `version`, for FakeHome::install.
std::string test_istioctl(const std::string& version);
// The environment it needs to reach `server`, logging its calls to `log`.
std::map<std::string, std::string> test_istioctl_environment(const KubeApiServer& server,
                                                             const std::filesystem::path& log);

}  // namespace getmesh::testing
