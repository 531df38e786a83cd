#include <getmesh/core/fs.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::store {

namespace fs = std::filesystem;

namespace {

bool is_executable_file(const fs::path& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         (info.st_mode & S_IXUSR) != 0;
}

fs::path unique_tmp_path(const Home& home, const std::string& stem) {
  std::random_device device;
  return home.tmp_dir() /
         (stem + "." + std::to_string(::getpid()) + "." + std::to_string(device()));
}

}  // namespace

Result<std::vector<InstalledDistribution>> list_installed(const Home& home) {
  std::vector<InstalledDistribution> installed;
  std::error_code error;
  if (!fs::exists(home.istio_dir(), error)) return installed;
  fs::directory_iterator entries(home.istio_dir(), error);
  if (error) {
    return runtime_error("cannot read " + home.istio_dir().string() + ": " + error.message(),
                         "check the permissions of the getmesh home");
  }
  for (const auto& entry : entries) {
    auto name = DistributionName::parse(entry.path().filename().string());
    if (!name || name->is_upstream() || !is_executable_file(entry.path() / "bin" / "istioctl")) {
      continue;
    }
    installed.push_back({*name, read_install_record(entry.path())});
  }
  std::sort(installed.begin(), installed.end(),
            [](const auto& a, const auto& b) { return a.name > b.name; });
  return installed;
}

bool is_installed(const Home& home, const DistributionName& name) {
  return is_executable_file(home.istioctl(name));
}

std::string serialize_install_record(const InstallRecord& record) {
  nlohmann::json document = {{"source_url", record.source_url},
                             {"sha256", record.sha256},
                             {"verified", record.verified},
                             {"checksum_source", record.checksum_source}};
  return document.dump(2) + "\n";
}

std::optional<InstallRecord> read_install_record(const fs::path& distribution_dir) {
  constexpr std::size_t kMaxRecordBytes = 64 * 1024;
  auto text = read_file(distribution_dir / kInstallRecordFile, kMaxRecordBytes);
  if (!text || text->size() > kMaxRecordBytes) return std::nullopt;
  const auto document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return std::nullopt;
  InstallRecord record;
  record.source_url = document.value("source_url", "");
  record.sha256 = document.value("sha256", "");
  record.verified = document.value("verified", false);
  record.checksum_source = document.value("checksum_source", "");
  return record;
}

Status check_verified(const Home& home, const DistributionName& name,
                      std::string_view pinned_sha256) {
  const auto text = name.to_string();
  const auto hint = "fetch it again with a checksum: getmesh prune --name " + text +
                    ", then getmesh fetch --name " + text + " --require-checksum";
  const auto record = read_install_record(home.distribution_dir(name));
  if (!record || !record->verified) {
    return runtime_error(text +
                             " was installed without checksum verification, which the checksum "
                             "policy (--require-checksum, require_checksum in config.json) refuses",
                         hint);
  }
  if (!pinned_sha256.empty() && record->sha256 != pinned_sha256) {
    return runtime_error(text + " was installed from an archive with sha256 " + record->sha256 +
                             ", but the manifest pins " + std::string(pinned_sha256),
                         hint);
  }
  return {};
}

Status commit_install(const Home& home, const fs::path& prepared, const DistributionName& name) {
  if (auto created = ensure_directory(home.istio_dir()); !created) return created;
  const auto target = home.distribution_dir(name);
  std::error_code error;
  if (fs::exists(target, error)) {
    // An incomplete directory (for example left by the original getmesh): move it out of the way.
    if (auto removed = remove_installed(home, name); !removed) return removed;
  }
  if (::rename(prepared.c_str(), target.c_str()) != 0) {
    return runtime_error("cannot move the new istioctl into " + target.string() + ": " +
                         errno_text(errno));
  }
  return sync_path(home.istio_dir());
}

Status remove_installed(const Home& home, const DistributionName& name) {
  const auto target = home.distribution_dir(name);
  if (auto created = ensure_directory(home.tmp_dir()); !created) return created;
  const auto graveyard = unique_tmp_path(home, kRemovedPrefix + name.to_string());
  if (::rename(target.c_str(), graveyard.c_str()) != 0) {
    return runtime_error("cannot remove " + target.string() + ": " + errno_text(errno),
                         "check the permissions of the getmesh home");
  }
  std::error_code error;
  fs::remove_all(graveyard, error);  // best effort: prune clears leftovers in tmp/ later
  return {};
}

}  // namespace getmesh::store
