#include "support/upgrade_cluster.hpp"

namespace getmesh::testing {

using nlohmann::json;

json labelled_namespace(const std::string& name, const json& labels) {
  auto object = namespace_object(name);
  object["metadata"]["labels"] = labels;
  return object;
}

json istiod_revision(const std::string& revision, const std::string& version,
                     const std::string& namespace_name) {
  const auto image = "docker.io/istio/pilot:" + version;
  const auto name = revision == "default" ? std::string("istiod") : "istiod-" + revision;
  auto deployment = istiod_deployment(name, image, revision, namespace_name);
  deployment["spec"]["selector"] = {
      {"matchLabels", {{"app", "istiod"}, {"istio.io/rev", revision}}}};
  auto pod = istiod_pod(name + "-5d8f9c7b6-abcde", image, revision, namespace_name);
  return json::array({deployment, pod});
}

json injected_workload(const std::string& namespace_name, const std::string& name,
                       const std::string& revision, const std::string& version, int replicas) {
  const json selector = {{"app", name}};
  json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}};
  deployment["metadata"] = {{"name", name}, {"namespace", namespace_name}};
  deployment["spec"] = {
      {"replicas", replicas},
      {"selector", {{"matchLabels", selector}}},
      {"template",
       {{"metadata", {{"labels", selector}}},
        {"spec",
         {{"containers",
           json::array({{{"name", "app"}, {"image", "docker.io/library/nginx:1.27"}}})}}}}}};
  deployment["status"] = {{"replicas", replicas}, {"readyReplicas", replicas}};
  json objects = json::array({deployment});
  for (int i = 0; i < replicas; ++i) {
    auto pod = sidecar_pod(namespace_name, name + "-6b7c8d9f5-" + std::to_string(i),
                           "docker.io/istio/proxyv2:" + version, revision);
    pod["metadata"]["labels"]["app"] = name;
    pod["metadata"]["annotations"] = {
        {"sidecar.istio.io/status", json{{"revision", revision}}.dump()}};
    objects.push_back(pod);
  }
  return objects;
}

json tag_webhook(const std::string& tag, const std::string& revision) {
  return {{"apiVersion", "admissionregistration.k8s.io/v1"},
          {"kind", "MutatingWebhookConfiguration"},
          {"metadata",
           {{"name", "istio-revision-tag-" + tag},
            {"labels", {{"istio.io/tag", tag}, {"istio.io/rev", revision}}}}}};
}

json installed_state(const std::string& name, const json& spec, const std::string& namespace_name) {
  return {{"apiVersion", "install.istio.io/v1alpha1"},
          {"kind", "IstioOperator"},
          {"metadata", {{"name", name}, {"namespace", namespace_name}}},
          {"spec", spec}};
}

json with_stuck_deployment(json objects, const std::string& name) {
  for (auto& object : objects) {
    if (object["kind"] == "Deployment" && object["metadata"]["name"] == name) {
      object["metadata"]["annotations"] = {{"test.getmesh.io/stuck", "true"}};
    }
  }
  return objects;
}

void append(json& into, const json& objects) {
  for (const auto& object : objects) into.push_back(object);
}

std::string test_istioctl(const std::string& version) {
  // The help answers come from the shell, so probing costs no Python start.
  return "#!/bin/sh\necho \"" + version + " $*\" >> \"$FAKE_ISTIOCTL_LOG\"\n" +
         "case \"$*\" in\n"
         "  --help) printf 'Available Commands:\\n  install\\n  precheck\\n  tag\\n  uninstall\\n"
         "  verify-install\\n  x\\n'; exit 0;;\n"
         "  'x --help') printf 'Available Commands:\\n  precheck\\n  uninstall\\n'; exit 0;;\n"
         "esac\n"
         "FAKE_ISTIOCTL_VERSION=" +
         version + " exec /usr/bin/env python3 " + std::string(GETMESH_TEST_SERVERS_DIR) +
         "/fake_istioctl.py \"$@\"\n";
}

std::map<std::string, std::string> test_istioctl_environment(const KubeApiServer& server,
                                                             const std::filesystem::path& log) {
  return {{"FAKE_KUBE_SERVER", server.url()},
          {"FAKE_KUBE_TOKEN", "test-token"},
          {"FAKE_KUBE_CA", TestCertificates::get().ca_cert.string()},
          {"FAKE_ISTIOCTL_LOG", log.string()}};
}

}  // namespace getmesh::testing
