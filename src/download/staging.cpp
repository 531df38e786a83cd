#include "download/staging.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/store/lock.hpp>

#include <random>
#include <unistd.h>

namespace getmesh::download {

namespace fs = std::filesystem;

namespace {

std::string prefix(const DistributionName& name) {
  return Staging::kPrefix + name.to_string() + ".";
}

}  // namespace

Result<Staging> Staging::create(const store::Home& home, const DistributionName& name) {
  if (auto created = ensure_directory(home.tmp_dir()); !created) return created.error();
  std::random_device random;
  Staging staging(home.tmp_dir() /
                  (prefix(name) + std::to_string(::getpid()) + "." + std::to_string(random())));
  if (auto created = ensure_directory(staging.directory_ / "bin"); !created) return created.error();
  return staging;
}

void Staging::remove_leftovers(const store::Home& home, const DistributionName& name) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(home.tmp_dir(), error)) {
    if (entry.path().filename().string().starts_with(prefix(name))) {
      fs::remove_all(entry.path(), error);
    }
  }
}

Staging::Staging(Staging&& other) noexcept : directory_(std::move(other.directory_)) {
  other.directory_.clear();
}

Staging::~Staging() {
  if (directory_.empty()) return;
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

Status Staging::finish(const store::InstallRecord& record) const {
  if (auto synced = sync_path(directory_ / "bin"); !synced) return synced;
  // Also syncs the staging directory itself.
  return write_file_atomic(directory_ / store::kInstallRecordFile,
                           store::serialize_install_record(record));
}

Status Staging::commit(const store::Home& home, const DistributionName& name) {
  auto lock = store::FileLock::acquire(home.store_lock());
  if (!lock) return lock.error();
  if (auto committed = store::commit_install(home, directory_, name); !committed) return committed;
  directory_.clear();
  return {};
}

}  // namespace getmesh::download
