#pragma once

#include "cli/context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace getmesh::cli {

// `getmesh [-c FILE | --kubeconfig FILE | --context NAME | --manifest M | --strict | -v]...
//  istioctl ARGS...`:
// everything after `istioctl` belongs to istioctl, so it is recognised before the command line is
// parsed.
struct PassthroughRequest {
  std::string kubeconfig;  // from getmesh's own -c/--kubeconfig, passed on as KUBECONFIG
  std::string manifest;    // getmesh's --manifest, for the install checks
  std::string context;     // getmesh's --context, passed on as istioctl's --context
  bool strict = false;     // getmesh's --strict, for the install guards
  bool verbose = false;    // getmesh's -v/--verbose
  std::vector<std::string> args;
};

std::optional<PassthroughRequest> parse_passthrough(int argc, char** argv);

// The path of `name`'s istioctl, or an error saying it is not fetched (`origin`: where the choice
// of `name` came from, config.json, a pin file or auto_select; `pinned`: a pin file). Under
// config.json's require_checksum, an install that was not verified is an error too; under
// verify_on_exec, an istioctl whose size or time differs from its install receipt.
Result<std::string> fetched_istioctl(Context& context, const DistributionName& name,
                                     const std::string& origin, bool pinned = false);

// Runs the active istioctl with `request.args` (or, with auto_select, the fetched one matching the
// cluster's control plane). Replaces getmesh with it (execv) unless the command is `install`,
// which runs getmesh's guards first (install_guard.hpp) and returns istioctl's exit code.
Result<int> run_passthrough(Context& context, const PassthroughRequest& request);

}  // namespace getmesh::cli
