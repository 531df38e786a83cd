#pragma once

#include "cli/context.hpp"

#include <getmesh/kube/client.hpp>
#include <getmesh/kube/kubeconfig.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// The kubeconfig getmesh uses: the global -c/--kubeconfig, else KUBECONFIG, else ~/.kube/config.
Result<kube::Kubeconfig> load_kubeconfig(Context& context);

// A client for the cluster of this run (Context::connection()).
Result<kube::Client> connect_cluster(Context& context, kube::ClientOptions options = {});
// A client for another context of a kubeconfig already loaded (check-upgrade's fleet options).
Result<kube::Client> connect_cluster(Context& context, const kube::Kubeconfig& config,
                                     const std::string& context_name,
                                     kube::ClientOptions options = {});

// Declares that `command` and its subcommands talk to a cluster: they take -c/--kubeconfig and
// --context after their name too, with the same meaning as before it (the run's connection).
void add_cluster_options(CLI::App& command, GlobalOptions& options);
// Whether `command` (or the command it belongs to) talks to a cluster.
bool talks_to_cluster(const CLI::App& command);

}  // namespace getmesh::cli
