#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>
#include <getmesh/store/installed.hpp>

#include <filesystem>

namespace getmesh::download {

// A fresh tmp/install-<name>.<pid>.<random>/ directory (with bin/) where a distribution is
// prepared, outside istio/ so `show` never sees it. Removed with its content on destruction unless
// committed.
class Staging {
 public:
  static constexpr const char* kPrefix = "install-";

  static Result<Staging> create(const store::Home& home, const DistributionName& name);
  // Removes staging directories of `name` left by killed runs; the caller holds its version lock.
  static void remove_leftovers(const store::Home& home, const DistributionName& name);

  Staging(Staging&& other) noexcept;
  Staging& operator=(Staging&&) = delete;
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging();

  [[nodiscard]] std::filesystem::path istioctl() const { return directory_ / "bin" / "istioctl"; }
  // Writes the install record and syncs the directories, so the prepared tree is durable.
  Status finish(const store::InstallRecord& record) const;
  // Moves the prepared tree into istio/<name> under the store lock.
  Status commit(const store::Home& home, const DistributionName& name);

 private:
  explicit Staging(std::filesystem::path directory) : directory_(std::move(directory)) {}
  std::filesystem::path directory_;
};

}  // namespace getmesh::download
