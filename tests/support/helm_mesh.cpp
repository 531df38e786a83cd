#include "support/helm_mesh.hpp"

#include "support/mirror.hpp"
#include "support/upgrade_cluster.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <algorithm>
#include <thread>

namespace getmesh::testing {

using nlohmann::json;

std::string chart_archive(const std::string& name, const std::string& version) {
  return make_tar_gz({ArchiveMember::file(
      name + "/Chart.yaml",
      "apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: " + version + "\n",
      0644)});
}

void write_chart_repository(const std::filesystem::path& directory,
                            const std::vector<std::string>& versions) {
  std::string index = "apiVersion: v1\nentries:\n";
  for (const char* chart : {"base", "istiod", "gateway", "cni", "ztunnel"}) {
    index += std::string("  ") + chart + ":\n";
    for (const auto& version : versions) {
      const auto archive = chart_archive(chart, version);
      const auto file = std::string(chart) + "-" + version + ".tgz";
      ASSERT_TRUE(write_file_atomic(directory / file, archive).ok());
      index += std::string("  - apiVersion: v2\n    name: ") + chart + "\n    version: " + version +
               "\n    appVersion: " + version + "\n    digest: " + sha256_hex(archive) +
               "\n    urls:\n    - " + file + "\n";
    }
  }
  index += "generated: \"2026-11-01T00:00:00Z\"\n";
  ASSERT_TRUE(write_file_atomic(directory / "index.yaml", index).ok());
}

void HelmMeshTest::SetUp() {
  for (const char* version : {kTo, kFrom}) {
    fake.install(std::string(version) + "-istio-v0", true, test_istioctl(version));
  }
  manifest_ = fake.dir().write(
      "manifest.json",
      make_manifest({std::string(kTo) + "-istio-v0", std::string(kFrom) + "-istio-v0"},
                    {{"1.30", "2030-01-01"}, {"1.31", "2030-01-01"}}));
  log_ = fake.root() / "istioctl.log";
  helm_log_ = fake.root() / "helm.log";
  const auto helm = fake.dir().write("bin/helm", "#!/bin/sh\nexec /usr/bin/env python3 " +
                                                     std::string(GETMESH_TEST_SERVERS_DIR) +
                                                     "/fake_helm.py \"$@\"\n");
  std::filesystem::permissions(helm, std::filesystem::perms(0755));
  std::filesystem::create_directories(fake.root() / "charts");
  write_chart_repository(fake.root() / "charts", {kTo, kFrom});
  nginx_ = std::make_unique<Nginx>(fake.root() / "charts");
}

void HelmMeshTest::start_cluster(json objects) {
  KubeApiServerOptions options;
  options.objects = std::move(objects);
  options.kube_version = "v1.31.2";
  options.controller = true;
  server_ = std::make_unique<KubeApiServer>(options);
  kubeconfig_ = fake.dir()
                    .write("kubeconfig",
                           make_kubeconfig({{"prod", server_->url(), token_user("test-token"), ""}},
                                           TestCertificates::get().ca_cert))
                    .string();
  Environment environment;
  auto config = kube::rest_config_for(kubeconfig_, "", environment);
  client_ = std::make_unique<kube::Client>(
      *kube::Client::connect(*config, net::Client(net::Settings{}), environment));
}

void HelmMeshTest::install(const std::string& release, const std::string& chart,
                           const std::string& version, const std::string& namespace_name,
                           const json& values) {
  const auto file = fake.dir().write("values-" + release + ".json", values.dump());
  helm({"upgrade", "--install", release,
        (fake.root() / "charts" / (chart + "-" + version + ".tgz")).string(), "-n", namespace_name,
        "-f", file.string()});
}

void HelmMeshTest::wait_for_proxies(std::size_t count) {
  for (int i = 0; i < 200 && proxies().size() < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::map<std::string, std::string> HelmMeshTest::environment(
    std::map<std::string, std::string> env) {
  env.emplace("GETMESH_MANIFEST", manifest_.string());
  env.emplace("PATH", (fake.root() / "bin").string() + ":/usr/bin:/bin");
  env["FAKE_HELM_LOG"] = helm_log_.string();
  for (auto& [name, value] : test_istioctl_environment(*server_, log_)) env.emplace(name, value);
  return env;
}

void HelmMeshTest::helm(const std::vector<std::string>& args) {
  std::vector<std::string> argv{(fake.root() / "bin" / "helm").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.env = environment();
  const auto ran = run_program(argv, options);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
}

RunResult HelmMeshTest::getmesh(std::vector<std::string> args,
                                std::map<std::string, std::string> env) {
  args.insert(args.begin(), {"-c", kubeconfig_});
  args.insert(args.end(), {"--chart-repo", nginx_->url()});
  return run_getmesh(args, fake.options(environment(std::move(env))));
}

std::vector<std::string> HelmMeshTest::helm_calls() {
  std::vector<std::string> calls;
  const std::string binding = " --kubeconfig " + kubeconfig_ + " --kube-context prod";
  for (auto line : take_lines(helm_log_)) {
    const auto at = line.find(binding);
    if (line.starts_with("helm version")) {
      calls.push_back(line);
      continue;
    }
    if (at == std::string::npos) {
      calls.push_back("UNBOUND " + line);
      continue;
    }
    line.erase(at, binding.size());
    const auto dir = (fake.home() / "tmp" / "upgrade").string() + "/";
    for (auto found = line.find(dir); found != std::string::npos; found = line.find(dir)) {
      line.erase(found, dir.size());
    }
    calls.push_back(line);
  }
  return calls;
}

json HelmMeshTest::get(const std::string& path) { return *client_->get(path); }

json HelmMeshTest::labels_of(const std::string& name) {
  return get(kube::resource_path("", "namespaces", {}, name))["metadata"].value("labels",
                                                                                json::object());
}

std::vector<std::string> HelmMeshTest::proxies() {
  std::vector<std::string> found;
  const auto pods = client_->list(kube::resource_path("", "pods"));
  for (const auto& pod : *pods) {
    for (const auto& container : pod["spec"]["containers"]) {
      if (container["name"] != "istio-proxy") continue;
      const auto image = container["image"].get<std::string>();
      const auto& metadata = pod["metadata"];
      // Waypoints and ztunnel name their revision in an annotation, sidecars in a label.
      auto revision = metadata.value("annotations", json::object()).value("istio.io/rev", "");
      if (revision.empty())
        revision = metadata.value("labels", json::object()).value("istio.io/rev", "?");
      found.push_back(metadata["namespace"].get<std::string>() + "/" + revision + "/" +
                      image.substr(image.rfind(':') + 1));
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> HelmMeshTest::istiod_revisions() {
  std::vector<std::string> revisions;
  kube::ListOptions options;
  options.label_selector = "app=istiod";
  const auto deployments =
      client_->list(kube::resource_path("apps/v1", "deployments", "istio-system"), options);
  for (const auto& deployment : *deployments) {
    revisions.push_back(deployment["metadata"]["labels"].value("istio.io/rev", "?"));
  }
  std::sort(revisions.begin(), revisions.end());
  return revisions;
}

std::vector<std::string> HelmMeshTest::releases() {
  std::vector<std::string> found;
  kube::ListOptions options;
  options.label_selector = "owner=helm,status=deployed";
  const auto secrets = client_->list(kube::resource_path("", "secrets"), options);
  for (const auto& secret : *secrets) {
    found.push_back(secret["metadata"]["labels"]["name"].get<std::string>() + " v" +
                    secret["metadata"]["labels"]["version"].get<std::string>());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string HelmMeshTest::tag_revision(const std::string& tag) {
  return get(kube::resource_path("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations",
                                 {}, "istio-revision-tag-" + tag))["metadata"]["labels"]
      .value("istio.io/rev", "");
}

json HelmMeshTest::record() {
  const auto map = get(kube::resource_path("", "configmaps", "istio-system", "getmesh-upgrade"));
  return json::parse(map["data"]["upgrade.json"].get<std::string>());
}

void HelmMeshTest::forget_requests() { forgotten_requests_ = server_->requests().size(); }

std::vector<std::string> HelmMeshTest::getmesh_writes() {
  std::vector<std::string> found;
  const auto requests = server_->requests();
  for (std::size_t i = forgotten_requests_; i < requests.size(); ++i) {
    const auto& request = requests[i];
    if (request["method"] != "GET" && request.value("user_agent", "").starts_with("getmesh"))
      found.push_back(request["method"].get<std::string>() + " " +
                      request["path"].get<std::string>());
  }
  return found;
}

}  // namespace getmesh::testing
