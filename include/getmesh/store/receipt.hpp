#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace getmesh::store {

// The installed istioctl as it was when getmesh installed it (part of the install record):
// `verify` re-hashes the binary against it; `show` and verify_on_exec compare only its size and
// modification time, which costs one stat.
struct BinaryReceipt {
  std::string sha256;         // of bin/istioctl
  std::uint64_t size = 0;     // bytes
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  std::string installed_at;   // RFC 3339 UTC, e.g. "2026-11-29T09:30:00Z"
  std::string getmesh_version;
};

// Hashes and stats `binary` now: the receipt written with an install.
Result<BinaryReceipt> make_receipt(const std::filesystem::path& binary);

enum class ReceiptStatus {
  kOk,         // the binary is what was installed
  kModified,   // its content (or, for the cheap check, its size or time) differs
  kMissing,    // the receipt is there, the binary is not
  kNoReceipt,  // installed before receipts existed (or by the original getmesh)
};

// "ok", "modified", "missing", "no receipt".
std::string to_string(ReceiptStatus status);

// The cheap check: size and modification time against the receipt; never reads the binary.
ReceiptStatus quick_check(const std::filesystem::path& binary,
                          const std::optional<BinaryReceipt>& receipt);

// The full check: the binary's SHA-256 (and size) against the receipt.
struct Verification {
  ReceiptStatus status = ReceiptStatus::kNoReceipt;
  std::string sha256;         // what the binary hashes to now; empty when it is missing
  std::uint64_t size = 0;     // its size now
  std::int64_t mtime_ns = 0;  // its modification time now
  bool time_changed = false;  // ok, but touched since (a copied home)
  std::string error;          // why the binary could not be read, when it could not
};

Verification verify_binary(const std::filesystem::path& binary,
                           const std::optional<BinaryReceipt>& receipt);

// verify_on_exec: the istioctl of `name` must have the size and modification time its receipt
// recorded. One stat and one small file, never a hash: cheap enough for every `getmesh istioctl`.
// A changed binary, or one installed before receipts existed, is an error saying what to do.
Status check_unchanged(const Home& home, const DistributionName& name);

// Records a new modification time in the receipt of `name`, after verify_binary found the content
// unchanged (a home copied without keeping times), so the cheap checks pass again. Takes the
// store lock; the record is rewritten atomically.
Status refresh_receipt_time(const Home& home, const DistributionName& name, std::int64_t mtime_ns);

}  // namespace getmesh::store
