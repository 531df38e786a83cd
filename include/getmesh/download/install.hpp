#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/net/http.hpp>
#include <getmesh/store/home.hpp>
#include <getmesh/store/installed.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::download {

// A digest the archive must have and where it comes from: "manifest", "upstream-digest" (the
// GitHub release asset's digest) or the URL of a `.sha256` file.
struct ExpectedDigest {
  std::string sha256;  // lower-case hex
  std::string source;
};

// Where an archive comes from and how it is verified: against every checksum known, which must
// all agree.
struct Plan {
  std::string url;
  std::vector<ExpectedDigest> checksums;  // known before downloading (manifest, upstream digest)
  std::string checksum_url;  // a `.sha256` file to fetch and compare as well; empty: none
  std::uint64_t size = 0;    // the archive's size from the manifest; 0 when it has none
  std::string mirror;        // the GETMESH_MIRROR base the URLs point into; empty: none
};

// The archive of `distribution` for `platform`: GETMESH_MIRROR
// (<base>/istio-<name>-<platform>.tar.gz), else the catalogue's per-platform URL, else the
// flavor's URL template, else the original getmesh download host. The `.sha256` file is fetched
// when upstream lists one (from the mirror when one is set) or when no checksum is known ahead. A
// release only upstream knows has no archive for a platform it does not list: an error.
Result<Plan> plan(const manifest::Manifest& manifest, const manifest::Distribution& distribution,
                  const Platform& platform, const Environment& environment);

// Receives progress: bytes so far and the total (0 when unknown).
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

// How transient failures (connection errors, stalls, HTTP 408/429/5xx) are retried.
struct RetryPolicy {
  int attempts = 4;  // tries per request without progress, first included
  std::chrono::milliseconds first_delay{1000};  // doubled after each failure
  std::chrono::milliseconds max_delay{30000};   // also caps a server's Retry-After
};

// What a server may make a download cost.
struct Limits {
  // The largest archive accepted when the manifest does not give its size.
  std::uint64_t max_archive_bytes = std::uint64_t{1} << 30;
  // A transfer slower than 1 KiB/s for this long is stopped (then retried); the `.sha256` file
  // must arrive within this time, retries included.
  std::chrono::seconds stall_timeout{30};

  // GETMESH_MAX_DOWNLOAD_MB and GETMESH_STALL_TIMEOUT (seconds) over the defaults; other values
  // than positive whole numbers are usage errors naming the variable.
  static Result<Limits> from_environment(const Environment& environment);
};

struct Options {
  bool require_checksum = false;  // refuse archives without a checksum instead of warning
  RetryPolicy retry;
  Limits limits;
  std::function<void(std::string_view)> warn;
  std::function<void(std::string_view)> note;
  ProgressCallback progress;  // may be empty
};

struct Outcome {
  bool already_installed = false;  // another run installed it while we waited for the lock
  store::InstallRecord record;
};

// Downloads, verifies and installs `name` into the store in one pass with bounded memory: the
// archive streams through SHA-256 and libarchive (only `istioctl` is extracted) into tmp/, and is
// moved into istio/<name> only after the checksum matched. Concurrent runs for the same name wait
// for each other and download once; an interrupted download resumes with HTTP Range.
Result<Outcome> install(const store::Home& home, const DistributionName& name, const Plan& plan,
                        const net::Client& http, const Options& options);

}  // namespace getmesh::download
