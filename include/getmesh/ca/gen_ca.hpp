#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/net/http.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::ca {

// What gen-ca needs from the outside world.
struct GenCaServices {
  const Environment* environment = nullptr;
  const net::Client* http = nullptr;
  std::filesystem::path home_secret_dir;  // <home>/secret, for --disable-secret-creation
  Notify notify;                          // progress notes for the user
  Notify warn;                            // what the user must act on although gen-ca succeeded
  // The cluster of --kubeconfig/--context; called at most once, only when the secret goes to the
  // cluster or the provider is cert-manager.
  std::function<Result<kube::Client>()> connect_cluster;
};

enum class SecretWrite { kNone, kCreated, kReplaced };

struct GenCaOutcome {
  std::string namespace_name;
  std::vector<std::filesystem::path> files;       // everything written, in order
  std::filesystem::path secret_yaml_file;         // when the Secret manifest was written to a file
  std::string dry_run_yaml;                       // --dry-run: the manifest with the key redacted
  bool root_key_discarded = false;                // --generate-root without --output-dir
  SecretWrite secret_write = SecretWrite::kNone;  // the cacerts Secret in the cluster
  std::string cluster;                            // `context "x" (https://…)` when one was used
};

// Runs gen-ca: checks every destination first (files; in the cluster the namespace and an existing
// cacerts Secret), issues the CA with the chosen provider, checks the bundle (chain, CA flags,
// path length, key), then writes it to the chosen destinations, all or nothing. Nothing is
// written on any error, nor with --dry-run.
Result<GenCaOutcome> generate_ca(const Settings& settings, const GenCaServices& services);

}  // namespace getmesh::ca
