#include <getmesh/core/build_info.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/posix.hpp>
#include <getmesh/core/sha256.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/lock.hpp>
#include <getmesh/store/receipt.hpp>

#include <ctime>
#include <sys/stat.h>

namespace getmesh::store {

namespace {

struct FileFacts {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

// Size and time of a regular file (symlinks are not followed: a link is not what was installed).
std::optional<FileFacts> facts_of(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return FileFacts{static_cast<std::uint64_t>(info.st_size), posix::modification_time_ns(info)};
}

std::string utc_now() {
  const auto now = std::time(nullptr);
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

Result<BinaryReceipt> make_receipt(const std::filesystem::path& binary) {
  const auto facts = facts_of(binary);
  if (!facts) return runtime_error("cannot read " + binary.string() + ": not a regular file");
  auto digest = sha256_file(binary);
  if (!digest) return digest.error();
  return BinaryReceipt{*digest, facts->size, facts->mtime_ns, utc_now(),
                       std::string(build_info().version)};
}

std::string to_string(ReceiptStatus status) {
  switch (status) {
    case ReceiptStatus::kOk:
      return "ok";
    case ReceiptStatus::kModified:
      return "modified";
    case ReceiptStatus::kMissing:
      return "missing";
    case ReceiptStatus::kNoReceipt:
      break;
  }
  return "no receipt";
}

ReceiptStatus quick_check(const std::filesystem::path& binary,
                          const std::optional<BinaryReceipt>& receipt) {
  const auto facts = facts_of(binary);
  if (!receipt) return facts ? ReceiptStatus::kNoReceipt : ReceiptStatus::kMissing;
  if (!facts) return ReceiptStatus::kMissing;
  return facts->size == receipt->size && facts->mtime_ns == receipt->mtime_ns
             ? ReceiptStatus::kOk
             : ReceiptStatus::kModified;
}

Verification verify_binary(const std::filesystem::path& binary,
                           const std::optional<BinaryReceipt>& receipt) {
  Verification result;
  const auto facts = facts_of(binary);
  if (!facts) {
    result.status = ReceiptStatus::kMissing;
    return result;
  }
  result.size = facts->size;
  result.mtime_ns = facts->mtime_ns;
  if (auto digest = sha256_file(binary)) {
    result.sha256 = *digest;
  } else {
    result.error = digest.error().message;
  }
  if (!receipt) {
    result.status = ReceiptStatus::kNoReceipt;
    return result;
  }
  const bool same =
      !result.sha256.empty() && result.sha256 == receipt->sha256 && result.size == receipt->size;
  result.status = same ? ReceiptStatus::kOk : ReceiptStatus::kModified;
  result.time_changed = same && result.mtime_ns != receipt->mtime_ns;
  return result;
}

Status check_unchanged(const Home& home, const DistributionName& name) {
  const auto text = name.to_string();
  const auto refetch = "getmesh prune --name " + text + ", then getmesh fetch --name " + text;
  const auto record = read_install_record(home.distribution_dir(name));
  switch (quick_check(home.istioctl(name), record ? record->receipt : std::nullopt)) {
    case ReceiptStatus::kOk:
      return {};
    case ReceiptStatus::kNoReceipt:
      return runtime_error(
          "refusing to run " + text +
              ": it was installed before receipts existed, so verify_on_exec "
              "(config.json) cannot check it",
          "fetch it again to get a receipt (" + refetch + "), or set verify_on_exec to false");
    case ReceiptStatus::kModified:
    case ReceiptStatus::kMissing:
      break;
  }
  return runtime_error("refusing to run " + text + ": " + home.istioctl(name).string() +
                           " changed since it was installed (its size or modification time "
                           "differs from its receipt) and verify_on_exec is set in config.json",
                       "run \"getmesh verify " + text +
                           "\": it re-hashes the binary and accepts it if only its time "
                           "changed; otherwise fetch it again (" +
                           refetch + ")");
}

Status refresh_receipt_time(const Home& home, const DistributionName& name, std::int64_t mtime_ns) {
  auto lock = FileLock::acquire(home.store_lock());
  if (!lock) return lock.error();
  const auto directory = home.distribution_dir(name);
  auto record = read_install_record(directory);
  if (!record || !record->receipt) return {};  // removed or replaced meanwhile: nothing to refresh
  record->receipt->mtime_ns = mtime_ns;
  return write_file_atomic(directory / kInstallRecordFile, serialize_install_record(*record));
}

}  // namespace getmesh::store
