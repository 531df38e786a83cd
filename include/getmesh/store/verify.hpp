#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/receipt.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace getmesh::store {

// One install checked against its receipt.
struct InstallCheck {
  DistributionName name;
  std::filesystem::path istioctl;
  std::optional<InstallRecord> record;
  Verification verification;
};

// Re-hashes the istioctl of each named install (every install under istio/ when `names` is
// empty, including those whose istioctl is gone), oldest first as `show` lists them. A content that
// still matches after its modification time changed (a copied home) gets its receipt's time
// refreshed. A name that is not in the store is an error naming it.
Result<std::vector<InstallCheck>> verify_installs(const Home& home,
                                                  const std::vector<DistributionName>& names);

}  // namespace getmesh::store
