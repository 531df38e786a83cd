#include "cli/build_facts.hpp"
#include "cli/cluster.hpp"
#include "cli/cluster_target.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/mesh_json.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/build_info.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

// An unreachable cluster must not hold `version` up: /version gets this long in total.
constexpr long kReachTimeoutMs = 2500;

struct VersionOptions {
  std::string output;
  bool remote = true;
  std::string istio_namespace = "istio-system";
};

// The cluster part: the mesh, or why it could not be read.
struct ClusterView {
  std::string context;
  std::optional<mesh::MeshState> state;
  std::optional<Error> error;
  bool fatal = false;  // the kubeconfig or --context is wrong: exit with the error, as kubectl
};

// A missing or broken kubeconfig, or an undefined --context, is an error that `version` reports
// after the client part (like kubectl); a cluster that cannot be reached or read is a warning.
ClusterView read_cluster(Context& context, const VersionOptions& options) {
  ClusterView view;
  kube::ClientOptions client_options;
  client_options.request_timeout_ms = 15000;
  auto client = connect_cluster(context, client_options);
  if (!client) {
    view.error = client.error();
    view.fatal = true;
    return view;
  }
  view.context = client->config().context;
  if (auto reached = client->server_version(kReachTimeoutMs); !reached) {
    view.error = reached.error();
    return view;
  }
  auto state = mesh::read_mesh(*client, options.istio_namespace);
  if (!state) {
    view.error = state.error();
    return view;
  }
  ClusterTarget target;
  target.kubeconfig = context.options().kubeconfig;
  target.context = context.options().context;
  target.istio_namespace = options.istio_namespace;
  remember_control_planes(context, target, view.context, state->control_planes);
  view.state = std::move(*state);
  return view;
}

Result<int> run_version(Context& context, const VersionOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  auto active = context.active();
  if (!active) return active.error();
  auto home = context.home();
  if (!home) return home.error();
  const bool fetched = *active && store::is_installed(**home, (*active)->name);
  std::optional<ClusterView> cluster;
  if (options.remote) cluster = read_cluster(context, options);

  if (*format != Format::kTable) {
    const auto& build = build_info();
    nlohmann::ordered_json document = {{"getmesh_version", build.version}};
    document["getmesh_commit"] =
        build.commit.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(build.commit);
    document["active_istioctl"] =
        *active ? nlohmann::ordered_json((*active)->name.to_string()) : nlohmann::ordered_json();
    document["active_istioctl_origin"] =
        *active ? nlohmann::ordered_json((*active)->origin) : nlohmann::ordered_json();
    document["active_istioctl_fetched"] = fetched;
    document["active_istioctl_build"] =
        fetched ? build_to_json(binary::read_go_build_info((*home)->istioctl((*active)->name)))
                : nlohmann::ordered_json();
    if (cluster && cluster->fatal) {
      document["cluster"] = {{"error", cluster->error->message}};
      context.output().out() << render_structured(document, *format);
      return *cluster->error;
    }
    if (cluster) {
      nlohmann::ordered_json part = {{"context", cluster->context}};
      if (cluster->state) part.update(mesh_to_json(*cluster->state));
      if (cluster->error) part["error"] = cluster->error->message;
      document["cluster"] = part;
    } else {
      document["cluster"] = nullptr;
    }
    context.output().out() << render_structured(document, *format);
    return 0;
  }
  auto& out = context.output().out();
  out << "getmesh version: " << version_text() << "\n";
  if (!*active) {
    out << "active istioctl: none\n";
    const auto why = context.nothing_active();
    context.output().note(why.message + "; " + why.hint);
  } else {
    out << "active istioctl: " << (*active)->name.to_string() << "\n";
    if (fetched) {
      out << "istioctl build: "
          << describe_build(binary::read_go_build_info((*home)->istioctl((*active)->name))) << "\n";
    }
    if ((*active)->pinned) context.output().note("pinned by " + (*active)->origin);
    if (!fetched) {
      context.output().warn((*active)->name.to_string() +
                            " is not fetched; run \"getmesh fetch --name " +
                            (*active)->name.to_string() + "\"");
    }
  }
  if (!cluster) return 0;
  if (cluster->fatal) return *cluster->error;
  if (cluster->error) {
    context.output().warn("no cluster information: " + cluster->error->message);
    if (!cluster->error->hint.empty()) context.output().note(cluster->error->hint);
    return 0;
  }
  const auto& state = *cluster->state;
  // What the cluster says, escaped.
  out << escape_control("kubernetes version: " + state.kubernetes.git_version + " (context " +
                        cluster->context + ")\n" + "platform: " + describe_platform(state) +
                        "\ncontrol plane owner: " + describe_owner(state) +
                        "\ncontrol plane version: " + describe_control_planes(state) +
                        "\ndata plane version: " + describe_data_plane(state) + "\n");
  return 0;
}

}  // namespace

Command add_version_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<VersionOptions>();
  auto* command = parent.add_subcommand(
      "version", "Show the versions of getmesh, the active istioctl and the cluster's mesh");
  add_output_option(*command, options->output);
  command->add_flag("--remote", options->remote,
                    "Read the cluster's Kubernetes and Istio versions (--remote=false to skip)");
  command
      ->add_option("--istio-namespace", options->istio_namespace,
                   "Namespace of the Istio control plane")
      ->capture_default_str()
      ->check(non_empty_value());
  return {command, [&context, options] { return run_version(context, *options); }, true};
}

}  // namespace getmesh::cli
