#include "download/archive_presence.hpp"
#include "download/checksum_file.hpp"
#include "download/expected_checksum.hpp"
#include "download/partial.hpp"
#include "download/resumable_download.hpp"
#include "download/sha256.hpp"
#include "download/status_error.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/download/archive.hpp>
#include <getmesh/download/limits.hpp>

namespace getmesh::download {

namespace {

Error no_checksum_for_mirror(const Plan& plan) {
  return runtime_error(
      "no checksum to verify " + plan.url + " (the manifest has none" +
          (plan.checksum_url.empty() ? "" : " and " + plan.checksum_url + " does not exist") +
          "); a mirror holds only verified archives",
      "publish a .sha256 file beside the archive or pin its sha256 in the manifest");
}

struct StoreAttempt {
  Result<StoredArchive> stored;
  bool resumed = false;  // the failed download had continued earlier bytes
};

// Drains the download into the partial file, then renames it into place when the digest matches.
StoreAttempt download_to_partial(const Plan& plan, const std::filesystem::path& destination,
                                 const PartialFiles& partial, const net::Client& http,
                                 const Options& options, const ExpectedChecksum& expected) {
  std::string actual;
  bool resumed = false;
  {
    const TransferLimits limits{plan.size > 0 ? plan.size : options.limits.max_archive_bytes,
                                plan.size > 0,
                                static_cast<long>(options.limits.stall_timeout.count())};
    ResumableDownload source(http, plan.url, partial, options.retry, limits, options.progress);
    for (;;) {
      auto chunk = source.read();
      if (!chunk) {
        if (source.restart_pending()) continue;  // the server sent the archive from the start
        // A network failure or Ctrl-C keeps the bytes so far for the next run.
        if (!chunk.error().transient && chunk.error().kind != ErrorKind::kCancelled) {
          partial.remove();
        }
        return {chunk.error()};
      }
      if (chunk->empty()) break;
    }
    actual = source.digest();
    resumed = source.resumed();
  }  // the partial file is complete and closed
  if (actual != expected.sha256) {
    partial.remove();
    return {checksum_mismatch(plan, expected, actual,
                              "nothing was stored under " + destination.filename().string()),
            resumed};
  }
  if (auto synced = sync_path(partial.data); !synced) return {synced.error()};
  std::error_code error;
  std::filesystem::rename(partial.data, destination, error);
  if (error) {
    return {runtime_error("cannot move the download to " + destination.string() + ": " +
                          error.message())};
  }
  if (auto synced = sync_path(destination.parent_path()); !synced) return {synced.error()};
  partial.remove();
  return {StoredArchive{actual, expected.sources, true}};
}

}  // namespace

Result<std::string> sha256_of_file(const std::filesystem::path& path) {
  Sha256 hash;
  auto read = stream_regular_file(path, kMaxArchiveFileBytes,
                                  [&](std::string_view chunk) { hash.update(chunk); });
  if (!read) return read.error();
  return hash.finish();
}

Result<std::string> read_checksum_file(const std::filesystem::path& path,
                                       std::string_view archive_name) {
  auto text = read_regular_file(path, kMaxChecksumFileBytes);
  if (!text) return text.error();
  return parse_checksum_file(*text, archive_name, path.string());
}

namespace {

Result<StoredArchive> verified_store(const Plan& plan, const std::filesystem::path& destination,
                                     const net::Client& http, const Options& options) {
  auto expected = expected_checksum(plan, http, options.retry, options.limits.stall_timeout);
  if (!expected) return expected.error();
  if (!*expected) {
    if (auto present = check_archive_present(plan, http); !present) return present.error();
    return no_checksum_for_mirror(plan);
  }

  std::error_code error;
  if (std::filesystem::is_regular_file(destination, error)) {
    auto present = sha256_of_file(destination);
    if (!present) return present.error();
    if (*present == (*expected)->sha256) {
      return StoredArchive{*present, (*expected)->sources, false};
    }
    // Never leave an archive that fails its checksum under the final name.
    std::filesystem::remove(destination, error);
    if (options.note) {
      options.note(destination.filename().string() + " did not match its checksum (sha256 " +
                   *present + "); downloading it again");
    }
  }
  const auto partial_dir = destination.parent_path() / ".partial";
  if (auto made = ensure_directory(partial_dir); !made) return made.error();
  const auto base = partial_dir / (destination.filename().string() + ".partial");
  const PartialFiles partial{base, base.string() + ".json"};
  auto attempt = download_to_partial(plan, destination, partial, http, options, **expected);
  if (!attempt.stored && attempt.resumed && attempt.stored.error().kind != ErrorKind::kCancelled) {
    // The resumed bytes may be stale; the partial file is gone, so this starts from scratch.
    if (options.note) {
      options.note(attempt.stored.error().message + "; downloading it again from the start");
    }
    attempt = download_to_partial(plan, destination, partial, http, options, **expected);
  }
  return attempt.stored;
}

}  // namespace

Result<StoredArchive> store_archive(const Plan& plan, const std::filesystem::path& destination,
                                    const net::Client& http, const Options& options) {
  auto stored = verified_store(plan, destination, http, options);
  if (!stored) return with_mirror_advice(plan.mirror, stored.error());
  return stored;
}

}  // namespace getmesh::download
