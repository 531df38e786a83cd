#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/limits.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
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

nlohmann::json receipt_to_json(const BinaryReceipt& receipt) {
  return {{"istioctl_sha256", receipt.sha256},
          {"istioctl_size", receipt.size},
          {"istioctl_mtime_ns", receipt.mtime_ns},
          {"installed_at", receipt.installed_at},
          {"getmesh_version", receipt.getmesh_version}};
}

// A receipt with a field missing or of the wrong type is no receipt: it cannot vouch for anything.
std::optional<BinaryReceipt> receipt_from_json(const nlohmann::json& document) {
  if (!document.is_object()) return std::nullopt;
  const auto digest = document.find("istioctl_sha256");
  const auto size = document.find("istioctl_size");
  const auto mtime = document.find("istioctl_mtime_ns");
  if (digest == document.end() || !digest->is_string() || digest->get<std::string>().size() != 64 ||
      !is_hex(digest->get<std::string>()) || size == document.end() ||
      !size->is_number_unsigned() || mtime == document.end() || !mtime->is_number_integer()) {
    return std::nullopt;
  }
  BinaryReceipt receipt;
  receipt.sha256 = digest->get<std::string>();
  receipt.size = size->get<std::uint64_t>();
  receipt.mtime_ns = mtime->get<std::int64_t>();
  const auto text = [&](const char* key) {
    const auto found = document.find(key);
    return found != document.end() && found->is_string() ? found->get<std::string>()
                                                         : std::string();
  };
  receipt.installed_at = text("installed_at");
  receipt.getmesh_version = text("getmesh_version");
  return receipt;
}

}  // namespace

Result<std::vector<DistributionName>> distribution_directories(const Home& home) {
  std::vector<DistributionName> names;
  std::error_code error;
  if (!fs::exists(home.istio_dir(), error)) return names;
  fs::directory_iterator entries(home.istio_dir(), error);
  if (error) {
    return runtime_error("cannot read " + home.istio_dir().string() + ": " + error.message(),
                         "check the permissions of the getmesh home");
  }
  for (const auto& entry : entries) {
    const auto directory = entry.path().filename().string();
    auto name = DistributionName::parse(directory);
    // Only canonical names: is_installed() and the other commands look there.
    if (name && !name->is_upstream() && name->to_string() == directory) names.push_back(*name);
  }
  std::sort(names.begin(), names.end(), std::greater<>());
  return names;
}

Result<std::vector<DistributionName>> installed_names(const Home& home) {
  auto names = distribution_directories(home);
  if (!names) return names.error();
  std::erase_if(*names, [&](const DistributionName& name) { return !is_installed(home, name); });
  return names;
}

Result<std::vector<InstalledDistribution>> list_installed(const Home& home) {
  auto names = installed_names(home);
  if (!names) return names.error();
  std::vector<InstalledDistribution> installed;
  for (const auto& name : *names) {
    installed.push_back({name, read_install_record(home.distribution_dir(name))});
  }
  return installed;
}

bool is_installed(const Home& home, const DistributionName& name) {
  return is_executable_file(home.istioctl(name));
}

std::string serialize_install_record(const InstallRecord& record) {
  nlohmann::json document = {{"source_url", record.source_url},
                             {"sha256", record.sha256},
                             {"verified", record.verified},
                             {"checksum_sources", record.checksum_sources}};
  if (record.receipt) document["receipt"] = receipt_to_json(*record.receipt);
  return document.dump(2) + "\n";
}

std::optional<InstallRecord> read_install_record(const fs::path& distribution_dir) {
  auto text = read_regular_file(distribution_dir / kInstallRecordFile, kMaxInstallRecordBytes);
  if (!text) return std::nullopt;
  const auto document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return std::nullopt;
  InstallRecord record;
  record.source_url = document.value("source_url", "");
  record.sha256 = document.value("sha256", "");
  record.verified = document.value("verified", false);
  const auto sources = document.find("checksum_sources");
  if (sources != document.end() && sources->is_array()) {
    for (const auto& source : *sources) {
      if (source.is_string()) record.checksum_sources.push_back(source.get<std::string>());
    }
  } else if (const auto legacy = document.find("checksum_source");  // before several sources
             legacy != document.end() && legacy->is_string() &&
             !legacy->get<std::string>().empty()) {
    record.checksum_sources.push_back(legacy->get<std::string>());
  }
  if (const auto receipt = document.find("receipt"); receipt != document.end()) {
    record.receipt = receipt_from_json(*receipt);
  }
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
