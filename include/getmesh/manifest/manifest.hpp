#pragma once

#include <getmesh/core/date.hpp>
#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::manifest {

// Where one platform's archive of a distribution comes from, and the checksums known for it
// before downloading (docs/manifest.md#checksums).
struct Download {
  std::string url;
  std::string sha256;           // pinned by the manifest: lower-case hex, or empty
  std::string upstream_digest;  // the upstream release asset's `digest`: lower-case hex, or empty
  std::string checksum_url;     // the `.sha256` asset upstream lists beside the archive, or empty
  std::uint64_t size = 0;       // of the archive in bytes; 0 when the manifest does not say

  // The manifest's sha256 and upstream's digest both exist and differ: fetch refuses the archive.
  [[nodiscard]] bool checksums_conflict() const {
    return !sha256.empty() && !upstream_digest.empty() && sha256 != upstream_digest;
  }
};

// Where a distribution of the catalogue comes from: the manifest (which wins for what it lists),
// or only the upstream releases (docs/manifest.md#the-upstream-catalogue).
enum class Origin { kManifest, kUpstream };
std::string_view to_string(Origin origin);

// One distribution, as listed in `istio_distributions` or added from upstream releases.
struct Distribution {
  DistributionName name;
  std::vector<std::string> k8s_versions;  // empty: unknown
  std::vector<std::string> release_notes;
  bool is_security_patch = false;
  std::map<std::string, Download> downloads;  // by platform key, "linux-amd64"
  Origin origin = Origin::kManifest;
};

// Support window of a minor release line.
struct Lifecycle {
  std::optional<CivilDate> community_end_of_life;  // Istio community support
  std::optional<CivilDate> tetrate_end_of_life;    // Tetrate's extended support
  // The community end of life (or its absence: still supported) follows from Istio's published
  // policy and upstream release dates, not from the manifest.
  bool community_estimated = false;
};

// The manifest: the original getmesh format plus compatible extensions (docs/manifest.md).
struct Manifest {
  std::vector<Distribution> distributions;  // newest first by convention; order is significant
  std::map<MinorVersion, CivilDate> legacy_end_of_life;  // istio_minor_versions_eol_dates
  std::map<MinorVersion, Lifecycle> lifecycle;
  std::map<std::string, std::string> download_templates;  // by flavor
  std::string default_flavor{kFlavorTetrate};

  [[nodiscard]] const Distribution* find(const DistributionName& name) const;
  // End of life of `name`'s minor for its flavor: community dates for `istio`, Tetrate's for the
  // Tetrate builds, falling back to istio_minor_versions_eol_dates.
  [[nodiscard]] std::optional<CivilDate> end_of_life(const DistributionName& name) const;
  // Whether end_of_life(name) (a date or none) is estimated from Istio's support policy.
  [[nodiscard]] bool end_of_life_estimated(const DistributionName& name) const;
};

// Parses and validates manifest JSON. `source` names where it came from, for error messages.
Result<Manifest> parse(std::string_view json, const std::string& source);

}  // namespace getmesh::manifest
