#pragma once

#include "cli/output.hpp"

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/connection.hpp>
#include <getmesh/manifest/catalog.hpp>
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
  std::string kubeconfig;  // -c/--kubeconfig, before or after any command that talks to a cluster
  std::string context;     // --context, likewise; empty: the kubeconfig's current context
  std::string manifest;
  bool strict = false;  // --strict: guard warnings of istioctl install are fatal without a terminal
  bool verbose = false;
  bool offline = false;          // never ask upstream for the catalogue (also GETMESH_OFFLINE)
  bool refresh_catalog = false;  // revalidate the catalogue now, whatever its age
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
  [[nodiscard]] const GlobalOptions& options() const { return options_; }
  // The cluster of this run (-c/--kubeconfig and --context), resolved once: every client and
  // child process of the run is made from it.
  Result<const kube::Connection*> connection();

  // The getmesh home, created on first use.
  Result<const store::Home*> home();
  // config.json as it is now on disk.
  Result<store::Config> config();
  // Applies `change` to config.json under the store lock, re-reading the file first so that
  // concurrent getmesh runs never lose each other's updates.
  Status update_config(const std::function<void(store::Config&)>& change);
  // The catalogue: the manifest merged with the upstream releases, loaded once; the warnings and
  // notes of both (e.g. a stale cache) are printed to stderr the first time.
  Result<const manifest::Catalogue*> catalogue();
  // catalogue()'s merged manifest: what list, fetch and check-upgrade use.
  Result<const manifest::Manifest*> manifest();
  // The manifest alone, never the upstream catalogue: what `getmesh istioctl install` checks
  // against, so the passthrough never waits for upstream.
  Result<const manifest::Manifest*> vetted_manifest();
  // For commands that run the local istioctl `used`: warns, once per run, when its minor reaches
  // its end of life, and when other fetched groups are outdated or have security fixes. `used`'s
  // own group is left to the caller's patch check, so nothing is said twice.
  void warn_about_local_istioctl(const manifest::Manifest& manifest, const DistributionName& used);
  // For list and fetch, as the original's manifest checks: the end of life of `active`'s minor
  // and newer security fixes for every fetched group (the active's too); once per run.
  void warn_about_fetched(const manifest::Manifest& manifest,
                          const std::optional<DistributionName>& active);
  // The .getmesh-version pin in force in the current directory (looked up once; pins passed
  // over are noted then).
  Result<std::optional<store::Pin>> pin();
  // The distribution `getmesh istioctl` runs here: what a .getmesh-version pin selects among the
  // fetched ones (nothing when a version or minor pin matches none), else config.json's.
  Result<std::optional<Active>> active();
  // Why no istioctl can run here, for when active() is empty: nothing fetched for the pin in
  // force, or nothing active at all.
  Error nothing_active();
  [[nodiscard]] net::Client http() const;

 private:
  Result<const manifest::Loaded*> loaded_manifest();

  Environment environment_;
  Output& output_;
  GlobalOptions options_;
  std::optional<store::Home> home_;
  std::optional<Result<kube::Connection>> connection_;
  std::optional<manifest::Loaded> manifest_;
  std::optional<std::optional<store::Pin>> pin_;  // the pin here, once looked for
  std::optional<manifest::Catalogue> catalogue_;
  bool warned_about_local_istioctl_ = false;
};

}  // namespace getmesh::cli
