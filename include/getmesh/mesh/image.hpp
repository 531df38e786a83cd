#pragma once

#include <getmesh/core/distribution.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::mesh {

// What an Istio image reference says about the build it runs.
struct ImageVersion {
  std::optional<DistributionName> name;  // upstream tags get the "istio" flavor, version 0
  std::string tag;                       // the tag as written; empty for digest-only references
  std::string variant;                   // "distroless", "debug" or empty
  // A FIPS flavor: the tetratefips distribution, or a "fips" part in the tag (`1.22.1-solo-fips`).
  bool fips = false;
};

// Parses the tag of an image reference. Understood shapes (registry ports and digests allowed):
//   docker.io/istio/pilot:1.29.8                 upstream
//   …/pilot:1.29.8-distroless, …:1.29.8-debug    upstream variants
//   …/pilot:1.18.2-tetrate-v0, -tetratefips-v1   Tetrate Istio Distro (getmesh era)
//   …/pilot:1.16.7-tetrate0, -tetratefips0       Tetrate Istio Subscription
// Anything else (latest, pre-releases, digests without a tag) leaves `name` empty.
ImageVersion parse_image(std::string_view image);

// A version written in a label or annotation ("1.29.8", "v1.29.8", "1.18.2-tetrate-v0").
std::optional<DistributionName> parse_version_label(std::string_view text);

// How a version is shown: the distribution name, else the raw tag, else "unknown".
std::string describe(const ImageVersion& image);

}  // namespace getmesh::mesh
