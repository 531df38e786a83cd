#include <getmesh/core/fs.hpp>
#include <getmesh/store/verify.hpp>

#include <algorithm>

namespace getmesh::store {

namespace {

namespace fs = std::filesystem;

// Directories of istio/ that hold an istioctl or an install record: list_installed() plus the
// installs whose istioctl went missing.
Result<std::vector<DistributionName>> recorded_installs(const Home& home) {
  auto names = distribution_directories(home);
  if (!names) return names.error();
  std::error_code error;
  std::erase_if(*names, [&](const DistributionName& name) {
    return !fs::exists(home.distribution_dir(name) / kInstallRecordFile, error) &&
           !fs::exists(home.istioctl(name), error);
  });
  std::reverse(names->begin(), names->end());  // oldest first, as show lists them
  return names;
}

}  // namespace

Result<std::vector<InstallCheck>> verify_installs(const Home& home,
                                                  const std::vector<DistributionName>& names) {
  auto chosen = names;
  if (chosen.empty()) {
    auto all = recorded_installs(home);
    if (!all) return all.error();
    chosen = std::move(*all);
  }
  std::vector<InstallCheck> checks;
  for (const auto& name : chosen) {
    InstallCheck check{
        name, home.istioctl(name), read_install_record(home.distribution_dir(name)), {}};
    std::error_code error;
    if (!check.record && !fs::exists(check.istioctl, error)) {
      return runtime_error(name.to_string() + " is not fetched (nothing in " +
                               home.distribution_dir(name).string() + ")",
                           "see the fetched versions with \"getmesh show\"");
    }
    check.verification =
        verify_binary(check.istioctl, check.record ? check.record->receipt : std::nullopt);
    if (check.verification.time_changed) {
      if (auto refreshed = refresh_receipt_time(home, name, check.verification.mtime_ns);
          !refreshed) {
        return refreshed.error();
      }
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace getmesh::store
