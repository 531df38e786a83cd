#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>

#include <filesystem>

namespace getmesh::store {

// The getmesh home (`GETMESH_HOME`, else `~/.getmesh`) and the layout inside it:
//   config.json, istio/<name>/bin/istioctl, secret/, and our own cache/, tmp/, locks/, .lock
class Home {
 public:
  explicit Home(std::filesystem::path root) : root_(std::move(root)) {}

  // Resolves the home from the environment without touching the disk.
  static Result<Home> locate(const Environment& environment);
  // Creates the home directory if missing (0755).
  [[nodiscard]] Status create() const;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  [[nodiscard]] std::filesystem::path config_file() const { return root_ / "config.json"; }
  [[nodiscard]] std::filesystem::path istio_dir() const { return root_ / "istio"; }
  [[nodiscard]] std::filesystem::path distribution_dir(const DistributionName& name) const {
    return istio_dir() / name.to_string();
  }
  [[nodiscard]] std::filesystem::path istioctl(const DistributionName& name) const {
    return distribution_dir(name) / "bin" / "istioctl";
  }
  // Work area for downloads and extractions; on the same filesystem as istio/ so renames are
  // atomic.
  [[nodiscard]] std::filesystem::path tmp_dir() const { return root_ / "tmp"; }
  [[nodiscard]] std::filesystem::path cache_dir() const { return root_ / "cache"; }
  [[nodiscard]] std::filesystem::path locks_dir() const { return root_ / "locks"; }
  // Held while `name` is downloaded and installed.
  [[nodiscard]] std::filesystem::path distribution_lock(const DistributionName& name) const {
    return locks_dir() / (name.to_string() + ".lock");
  }
  // Partial downloads, resumed by the next fetch.
  [[nodiscard]] std::filesystem::path downloads_dir() const { return root_ / "downloads"; }
  [[nodiscard]] std::filesystem::path secret_dir() const { return root_ / "secret"; }
  // Guards config.json and the istio/ directory against concurrent getmesh runs.
  [[nodiscard]] std::filesystem::path store_lock() const { return root_ / ".lock"; }

 private:
  std::filesystem::path root_;
};

}  // namespace getmesh::store
