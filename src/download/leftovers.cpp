#include "download/partial.hpp"
#include "download/staging.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/download/leftovers.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/lock.hpp>

#include <algorithm>
#include <string_view>

namespace getmesh::download {

namespace fs = std::filesystem;

namespace {

// The distribution in "<prefix><name>.<pid>.<random>" (tmp/ folders of installs and removals).
std::optional<DistributionName> name_in_tmp(std::string_view file, std::string_view prefix) {
  if (!file.starts_with(prefix)) return std::nullopt;
  file.remove_prefix(prefix.size());
  for (int dots = 0; dots < 2; ++dots) {
    const auto dot = file.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    file = file.substr(0, dot);
  }
  auto name = DistributionName::parse(file);
  if (!name) return std::nullopt;
  return *name;
}

// The distribution of "<name>.tar.gz.partial" or "<name>.tar.gz.partial.json".
std::optional<DistributionName> name_of_partial(std::string_view file) {
  if (file.ends_with(".json")) file.remove_suffix(std::string_view(".json").size());
  if (!file.ends_with(kPartialSuffix)) return std::nullopt;
  file.remove_suffix(std::string_view(kPartialSuffix).size());
  auto name = DistributionName::parse(file);
  if (!name) return std::nullopt;
  return *name;
}

void add(std::vector<Leftover>& found, const fs::path& path, std::string kind,
         std::optional<DistributionName> name) {
  found.push_back({path, std::move(kind), disk_usage(path), std::move(name)});
}

}  // namespace

std::vector<Leftover> find_leftovers(const store::Home& home) {
  std::vector<Leftover> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(home.tmp_dir(), error)) {
    const auto file = entry.path().filename().string();
    if (auto name = name_in_tmp(file, Staging::kPrefix)) {
      add(found, entry.path(), "interrupted install", name);
    } else if (name_in_tmp(file, store::kRemovedPrefix)) {
      add(found, entry.path(), "removed version", std::nullopt);
    }
  }
  for (const auto& entry : fs::directory_iterator(home.downloads_dir(), error)) {
    if (auto name = name_of_partial(entry.path().filename().string())) {
      add(found, entry.path(), "partial download", name);
    }
  }
  for (const auto& entry : fs::directory_iterator(home.istio_dir(), error)) {
    auto name = DistributionName::parse(entry.path().filename().string());
    if (name && !name->is_upstream() && entry.is_directory(error) &&
        !store::is_installed(home, *name)) {
      add(found, entry.path(), "incomplete version folder", *name);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Leftover& a, const Leftover& b) { return a.path < b.path; });
  return found;
}

Result<bool> remove_leftover(const store::Home& home, const Leftover& leftover) {
  std::optional<store::FileLock> lock;
  if (leftover.name) {
    auto taken = store::FileLock::try_acquire(home.distribution_lock(*leftover.name));
    if (!taken) return taken.error();
    if (!*taken) return false;  // its fetch is running
    lock = std::move(**taken);
  }
  std::error_code error;
  fs::remove_all(leftover.path, error);
  if (error) {
    return runtime_error("cannot remove " + leftover.path.string() + ": " + error.message(),
                         "check the permissions of the getmesh home");
  }
  return true;
}

}  // namespace getmesh::download
