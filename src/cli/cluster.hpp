#pragma once

#include "cli/context.hpp"

#include <getmesh/kube/client.hpp>
#include <getmesh/kube/kubeconfig.hpp>

#include <string>
#include <vector>

namespace getmesh::cli {

// The kubeconfig getmesh uses: the global -c/--kubeconfig, else KUBECONFIG, else ~/.kube/config.
Result<kube::Kubeconfig> load_kubeconfig(Context& context);

// A client for `context_name` (empty: the current context) of that kubeconfig.
Result<kube::Client> connect_cluster(Context& context, const std::string& context_name,
                                     kube::ClientOptions options = {});
// The same for a kubeconfig already loaded.
Result<kube::Client> connect_cluster(Context& context, const kube::Kubeconfig& config,
                                     const std::string& context_name,
                                     kube::ClientOptions options = {});

}  // namespace getmesh::cli
