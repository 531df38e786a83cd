#include "mesh/object_fields.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/mesh/platform.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>

namespace getmesh::mesh {

namespace {

using Guess = std::optional<PlatformGuess>;

Guess guess(Platform platform, std::string evidence) {
  return PlatformGuess{platform, std::move(evidence)};
}

Guess from_api_groups(const PlatformClues& clues) {
  for (const auto* group : {"config.openshift.io", "route.openshift.io", "project.openshift.io"}) {
    if (std::find(clues.api_groups.begin(), clues.api_groups.end(), group) !=
        clues.api_groups.end()) {
      return guess(Platform::kOpenShift, std::string("API group ") + group);
    }
  }
  return std::nullopt;
}

bool is_commit_suffix(std::string_view text) { return text.size() >= 7 && is_hex(text); }

// Providers add a suffix to the Kubernetes version: v1.30.5-eks-ce1d5eb, v1.30.5-gke.1014001,
// v1.30.5+k3s1, v1.30.5+rke2r1, OpenShift's v1.29.6+aba1e8d (the commit).
Guess from_version(const PlatformClues& clues) {
  const auto& version = clues.git_version;
  const auto evidence = "Kubernetes version " + version;
  if (version.find("-eks-") != std::string::npos) return guess(Platform::kEks, evidence);
  if (version.find("-gke.") != std::string::npos) return guess(Platform::kGke, evidence);
  const auto plus = version.find('+');
  if (plus == std::string::npos) return std::nullopt;
  const auto suffix = std::string_view(version).substr(plus + 1);
  if (suffix.starts_with("k3s")) return guess(Platform::kK3s, evidence);
  if (suffix.starts_with("rke2")) return guess(Platform::kRke2, evidence);
  if (is_commit_suffix(suffix)) return guess(Platform::kOpenShift, evidence);
  return std::nullopt;
}

Guess from_node(const PlatformClues& clues) {
  if (!clues.node) return std::nullopt;
  const auto& node = *clues.node;
  const auto labels = node.contains("metadata") && node["metadata"].is_object()
                          ? node["metadata"].value("labels", nlohmann::json::object())
                          : nlohmann::json::object();
  const std::pair<const char*, Platform> by_label[] = {
      {"eks.amazonaws.com/nodegroup", Platform::kEks},
      {"eks.amazonaws.com/compute-type", Platform::kEks},
      {"kubernetes.azure.com/cluster", Platform::kAks},
      {"kubernetes.azure.com/agentpool", Platform::kAks},
      {"cloud.google.com/gke-nodepool", Platform::kGke},
      {"cloud.google.com/gke-os-distribution", Platform::kGke},
      {"node.openshift.io/os_id", Platform::kOpenShift},
      {"minikube.k8s.io/name", Platform::kMinikube},
  };
  if (labels.is_object()) {
    for (const auto& [label, platform] : by_label) {
      if (labels.contains(label)) return guess(platform, std::string("node label ") + label);
    }
    if (labels.value("node.kubernetes.io/instance-type", nlohmann::json()) == "k3s") {
      return guess(Platform::kK3s, "node label node.kubernetes.io/instance-type=k3s");
    }
  }
  const auto provider = text_at(node, {"spec", "providerID"});
  if (provider.starts_with("kind://")) return guess(Platform::kKind, "node provider ID kind://…");
  if (provider.starts_with("k3s://")) return guess(Platform::kK3s, "node provider ID k3s://…");
  return std::nullopt;
}

std::string host_of(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (!url.empty() && url.front() == '[') return std::string(url.substr(0, url.find(']') + 1));
  return to_lower(url.substr(0, url.find(':')));
}

Guess from_server(const PlatformClues& clues) {
  const auto host = host_of(clues.server);
  const std::pair<const char*, Platform> by_domain[] = {
      {".eks.amazonaws.com", Platform::kEks},
      {".azmk8s.io", Platform::kAks},
      {".gke.goog", Platform::kGke},
      {"connectgateway.googleapis.com", Platform::kGke},
  };
  for (const auto& [domain, platform] : by_domain) {
    if (host.ends_with(domain)) return guess(platform, std::string("API server *") + domain);
  }
  return std::nullopt;
}

Guess from_credential_plugin(const PlatformClues& clues) {
  if (clues.exec_command.empty()) return std::nullopt;
  const auto command = std::filesystem::path(clues.exec_command).filename().string();
  const auto has = [&](const char* word) {
    return std::find(clues.exec_args.begin(), clues.exec_args.end(), word) != clues.exec_args.end();
  };
  if (command == "aws" && has("eks") && has("get-token")) {
    return guess(Platform::kEks, "credential plugin aws eks get-token");
  }
  if (command == "aws-iam-authenticator") {
    return guess(Platform::kEks, "credential plugin aws-iam-authenticator");
  }
  if (command == "kubelogin") return guess(Platform::kAks, "credential plugin kubelogin");
  if (command == "gke-gcloud-auth-plugin") {
    return guess(Platform::kGke, "credential plugin gke-gcloud-auth-plugin");
  }
  return std::nullopt;
}

bool is_local(std::string_view server) {
  const auto host = host_of(server);
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// What kubeconfig writers name contexts: `aws eks update-kubeconfig` the cluster's ARN, `gcloud`
// gke_<project>_<location>_<name>, kind kind-<name> (on a local port), minikube its profile.
Guess from_context_name(const PlatformClues& clues) {
  const auto& name = clues.context;
  const auto evidence = "context name " + name;
  if (name.starts_with("arn:aws:eks:")) return guess(Platform::kEks, evidence);
  if (name.starts_with("gke_")) return guess(Platform::kGke, evidence);
  if (name.starts_with("kind-") && is_local(clues.server)) return guess(Platform::kKind, evidence);
  if (name == "minikube") return guess(Platform::kMinikube, evidence);
  return std::nullopt;
}

}  // namespace

std::string to_string(Platform platform) {
  switch (platform) {
    case Platform::kEks:
      return "eks";
    case Platform::kAks:
      return "aks";
    case Platform::kGke:
      return "gke";
    case Platform::kOpenShift:
      return "openshift";
    case Platform::kK3s:
      return "k3s";
    case Platform::kRke2:
      return "rke2";
    case Platform::kKind:
      return "kind";
    case Platform::kMinikube:
      return "minikube";
    case Platform::kGeneric:
      break;
  }
  return "generic";
}

std::string display_name(Platform platform) {
  switch (platform) {
    case Platform::kEks:
      return "Amazon EKS";
    case Platform::kAks:
      return "Azure AKS";
    case Platform::kGke:
      return "Google GKE";
    case Platform::kOpenShift:
      return "OpenShift";
    case Platform::kK3s:
      return "k3s";
    case Platform::kRke2:
      return "RKE2";
    case Platform::kKind:
      return "kind";
    case Platform::kMinikube:
      return "minikube";
    case Platform::kGeneric:
      break;
  }
  return "Kubernetes";
}

PlatformGuess recognise_platform(const PlatformClues& clues) {
  for (const auto& recognise : {from_api_groups, from_version, from_node, from_server,
                                from_credential_plugin, from_context_name}) {
    if (auto found = recognise(clues)) return *found;
  }
  return {};
}

}  // namespace getmesh::mesh
