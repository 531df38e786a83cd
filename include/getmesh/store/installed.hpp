#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::store {

// What was recorded when a distribution was installed (istio/<name>/.getmesh-install.json).
struct InstallRecord {
  std::string source_url;
  std::string sha256;           // of the archive
  bool verified = false;        // the checksum was checked against the manifest or a .sha256 file
  std::string checksum_source;  // "manifest", a .sha256 URL, or "" when unverified
};

struct InstalledDistribution {
  DistributionName name;
  std::optional<InstallRecord> record;  // absent for installs made by the original getmesh
};

inline constexpr const char* kInstallRecordFile = ".getmesh-install.json";
// tmp/<prefix><name>.<pid>.<random>: a removed version on its way out.
inline constexpr const char* kRemovedPrefix = "removed-";

// Complete installs under istio/, newest version first. A directory counts only when its
// bin/istioctl is a regular executable file; anything else (a half-written directory left by the
// original tool, stray files) is ignored.
Result<std::vector<InstalledDistribution>> list_installed(const Home& home);
bool is_installed(const Home& home, const DistributionName& name);

std::string serialize_install_record(const InstallRecord& record);
std::optional<InstallRecord> read_install_record(const std::filesystem::path& distribution_dir);

// The checksum policy (--require-checksum, require_checksum in config.json) for an installed
// distribution: its install record must say its checksum was verified and, when `pinned_sha256`
// (the manifest's) is given, hold that digest. Reads only the record, never hashes: cheap enough
// for the istioctl passthrough.
Status check_verified(const Home& home, const DistributionName& name,
                      std::string_view pinned_sha256 = {});

// Moves a verified, complete distribution directory prepared under tmp/ into istio/<name> with one
// rename. Replaces an incomplete directory of that name. Caller holds the store lock.
Status commit_install(const Home& home, const std::filesystem::path& prepared,
                      const DistributionName& name);

// Removes istio/<name> by renaming it into tmp/ first, so it vanishes from `show` atomically.
Status remove_installed(const Home& home, const DistributionName& name);

}  // namespace getmesh::store
