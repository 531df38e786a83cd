#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>
#include <getmesh/net/http.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace getmesh::manifest {

// Where the manifest comes from, in order of precedence: --manifest, GETMESH_MANIFEST,
// GETMESH_TEST_MANIFEST_PATH, manifest_url in config.json, then the embedded one.
struct Source {
  enum class Kind { kEmbedded, kFile, kUrl };
  Kind kind = Kind::kEmbedded;
  std::string location;  // path or URL
  std::string origin;    // which setting chose it, for messages

  [[nodiscard]] std::string describe() const;
};

Source choose_source(const std::string& flag, const Environment& environment,
                     const std::string& config_manifest_url);

struct Loaded {
  Manifest manifest;
  Source source;
  std::vector<std::string> warnings;  // e.g. "using the cached copy because the network failed"
};

// Seconds a cached remote manifest is used without asking the server again.
inline constexpr long kManifestFreshSeconds = 300;

// Loads and validates the manifest. A remote manifest is cached in `cache_dir` with its ETag,
// revalidated when older than kManifestFreshSeconds (GETMESH_MANIFEST_MAX_AGE overrides), and used
// when the server cannot be reached within a few seconds.
Result<Loaded> load(const Source& source, const std::filesystem::path& cache_dir,
                    const net::Client& http, const Environment& environment);

// The manifest compiled into the binary.
std::string_view embedded_manifest();

}  // namespace getmesh::manifest
