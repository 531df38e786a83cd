#include <getmesh/core/strings.hpp>
#include <getmesh/helm/commands.hpp>

namespace getmesh::helm::commands {

namespace {

std::vector<std::string> with_cluster(std::vector<std::string> args, const Cluster& cluster) {
  if (!cluster.kubeconfig.empty()) args.insert(args.end(), {"--kubeconfig", cluster.kubeconfig});
  if (!cluster.context.empty()) args.insert(args.end(), {"--kube-context", cluster.context});
  return args;
}

std::vector<std::string> with_values(std::vector<std::string> args, const std::string& values_file,
                                     const std::vector<std::string>& sets) {
  if (!values_file.empty()) args.insert(args.end(), {"-f", values_file});
  for (const auto& value : sets) args.insert(args.end(), {"--set", value});
  return args;
}

}  // namespace

std::vector<std::string> version() { return {"version", "--template", "{{.Version}}"}; }

std::vector<std::string> list(const Cluster& cluster, const std::string& namespace_name) {
  return with_cluster({"list", "-n", namespace_name, "-o", "json"}, cluster);
}

std::vector<std::string> list_all(const Cluster& cluster) {
  return with_cluster({"list", "--all-namespaces", "-o", "json"}, cluster);
}

std::vector<std::string> get_values(const Cluster& cluster, const std::string& release,
                                    const std::string& namespace_name) {
  return with_cluster({"get", "values", release, "-n", namespace_name, "-o", "json"}, cluster);
}

std::vector<std::string> upgrade(const Cluster& cluster, const std::string& release,
                                 const std::string& chart, const std::string& namespace_name,
                                 const std::string& values_file,
                                 const std::vector<std::string>& sets, bool install) {
  std::vector<std::string> args{"upgrade", release, chart, "-n", namespace_name};
  if (install) args.emplace_back("--install");
  return with_cluster(with_values(std::move(args), values_file, sets), cluster);
}

std::vector<std::string> render(const Cluster& cluster, const std::string& release,
                                const std::string& chart, const std::string& namespace_name,
                                const std::string& values_file,
                                const std::vector<std::string>& sets) {
  return with_cluster(
      with_values({"template", release, chart, "-n", namespace_name}, values_file, sets), cluster);
}

std::vector<std::string> uninstall(const Cluster& cluster, const std::string& release,
                                   const std::string& namespace_name) {
  return with_cluster({"uninstall", release, "-n", namespace_name}, cluster);
}

std::string shown(const std::vector<std::string>& args) { return "helm " + join(args, " "); }

}  // namespace getmesh::helm::commands
