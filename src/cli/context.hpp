#pragma once

#include "cli/output.hpp"

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/source.hpp>
#include <getmesh/net/http.hpp>
#include <getmesh/store/config.hpp>
#include <getmesh/store/home.hpp>
#include <getmesh/store/pin.hpp>

#include <functional>
#include <optional>
#include <string>

namespace getmesh::cli {

// Flags every command accepts.
struct GlobalOptions {
  std::string kubeconfig;
  std::string manifest;
  bool verbose = false;
};

// The active distribution and what made it active.
struct Active {
  DistributionName name;
  std::string origin;  // "config.json" or the path of a .getmesh-version file
  bool pinned = false;
};

// What a command needs from the outside world, created lazily and at most once per run.
class Context {
 public:
  Context(Environment environment, Output& output)
      : environment_(std::move(environment)), output_(output) {}

  [[nodiscard]] const Environment& environment() const { return environment_; }
  Output& output() { return output_; }
  GlobalOptions& options() { return options_; }

  // The getmesh home, created on first use.
  Result<const store::Home*> home();
  // config.json as it is now on disk.
  Result<store::Config> config();
  // Applies `change` to config.json under the store lock, re-reading the file first so that
  // concurrent getmesh runs never lose each other's updates.
  Status update_config(const std::function<void(store::Config&)>& change);
  // The manifest, loaded and validated once; its warnings and the end-of-life and security checks
  // are printed to stderr the first time.
  Result<const manifest::Manifest*> manifest();
  // The distribution `getmesh istioctl` runs here: a .getmesh-version pin, else config.json's.
  // Pins passed over are noted once.
  Result<std::optional<Active>> active();
  [[nodiscard]] net::Client http() const;

 private:
  void run_manifest_checks(const manifest::Manifest& manifest);

  Environment environment_;
  Output& output_;
  GlobalOptions options_;
  std::optional<store::Home> home_;
  std::optional<manifest::Loaded> manifest_;
  std::optional<std::optional<store::Pin>> pin_;  // the pin here, once looked for
};

}  // namespace getmesh::cli
