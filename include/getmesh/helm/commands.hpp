#pragma once

#include <string>
#include <vector>

// helm command lines without the helm binary: a plan shows them and its steps run them, so both
// always agree. Each names the cluster getmesh resolved, so helm can never act on another one.
namespace getmesh::helm::commands {

// The cluster every helm command is pointed at: the kubeconfig file getmesh read (empty: helm
// reads KUBECONFIG or ~/.kube/config, as getmesh did) and the context it resolved.
struct Cluster {
  std::string kubeconfig;
  std::string context;
};

// `helm version --template {{.Version}}`.
std::vector<std::string> version();
// `helm list -n <namespace> -o json`: the releases of a namespace (name, chart, app_version).
std::vector<std::string> list(const Cluster& cluster, const std::string& namespace_name);
// `helm list --all-namespaces -o json`: the releases of every namespace (gateways live apart).
std::vector<std::string> list_all(const Cluster& cluster);
// `helm get values <release> -n <namespace> -o json`: the values the user gave the release.
std::vector<std::string> get_values(const Cluster& cluster, const std::string& release,
                                    const std::string& namespace_name);
// `helm upgrade <release> <chart archive> -n <namespace> -f <values file> --set … --wait=false`:
// an in-place upgrade (install: a new release) with exactly the values given.
std::vector<std::string> upgrade(const Cluster& cluster, const std::string& release,
                                 const std::string& chart, const std::string& namespace_name,
                                 const std::string& values_file,
                                 const std::vector<std::string>& sets, bool install);
// `helm template <release> <chart> -n <namespace> -f <values file> --set …`: what an upgrade
// would render, to check the values before any change.
std::vector<std::string> render(const Cluster& cluster, const std::string& release,
                                const std::string& chart, const std::string& namespace_name,
                                const std::string& values_file,
                                const std::vector<std::string>& sets);
// `helm uninstall <release> -n <namespace>`.
std::vector<std::string> uninstall(const Cluster& cluster, const std::string& release,
                                   const std::string& namespace_name);

// "helm a b c" for the plan's text.
std::string shown(const std::vector<std::string>& args);

}  // namespace getmesh::helm::commands
