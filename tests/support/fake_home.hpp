#pragma once

#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace getmesh::testing {

// A throw-away getmesh home (GETMESH_HOME) and user home (HOME) for end-to-end tests, with helpers
// to install fake istioctl binaries directly into the store.
class FakeHome {
 public:
  FakeHome();

  [[nodiscard]] std::filesystem::path home() const { return dir_.path() / "getmesh-home"; }
  [[nodiscard]] std::filesystem::path root() const { return dir_.path(); }
  [[nodiscard]] const TempDir& dir() const { return dir_; }

  // Installs istio/<name>/bin/istioctl as a shell script. The default script prints
  // "istioctl <name> <args...>" and "KUBECONFIG=<value>", and exits with $FAKE_ISTIOCTL_EXIT
  // (default 0). `verified` writes an install record saying the checksum was checked.
  void install(const std::string& name, bool verified = true, const std::string& script = {}) const;
  // Writes config.json with `name` active (or the exact `json` text given).
  void set_active(const std::string& name) const;
  void write_config(const std::string& json) const;
  [[nodiscard]] std::string read_config() const;

  // Environment for run_getmesh: GETMESH_HOME, HOME and `extra`.
  [[nodiscard]] RunOptions options(std::map<std::string, std::string> extra = {}) const;

 private:
  TempDir dir_;
};

// The lines a fake istioctl appended to `log` (one call each), emptying the log for what follows.
std::vector<std::string> take_lines(const std::filesystem::path& log);

// A manifest with the given distributions (names), each listing `k8s` and release notes, and
// lifecycle entries {minor: community end of life}.
std::string make_manifest(const std::vector<std::string>& names,
                          const std::map<std::string, std::string>& community_end_of_life = {},
                          const std::string& default_flavor = "istio");

}  // namespace getmesh::testing
