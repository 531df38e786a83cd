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

// Where one platform's archive of a distribution comes from.
struct Download {
  std::string url;
  std::string sha256;      // lower-case hex; empty when the manifest does not pin it
  std::uint64_t size = 0;  // of the archive in bytes; 0 when the manifest does not say
};

// One vetted distribution, as listed in `istio_distributions`.
struct Distribution {
  DistributionName name;
  std::vector<std::string> k8s_versions;
  std::vector<std::string> release_notes;
  bool is_security_patch = false;
  std::map<std::string, Download> downloads;  // by platform key, "linux-amd64"
};

// Support window of a minor release line.
struct Lifecycle {
  std::optional<CivilDate> community_end_of_life;  // Istio community support
  std::optional<CivilDate> tetrate_end_of_life;    // Tetrate's extended support
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
};

// Parses and validates manifest JSON. `source` names where it came from, for error messages.
Result<Manifest> parse(std::string_view json, const std::string& source);

}  // namespace getmesh::manifest
