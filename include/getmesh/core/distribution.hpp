#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/core/version.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace getmesh {

inline constexpr std::string_view kFlavorIstio = "istio";
inline constexpr std::string_view kFlavorTetrate = "tetrate";
inline constexpr std::string_view kFlavorTetrateFips = "tetratefips";

// True for the three flavors getmesh knows: istio, tetrate, tetratefips.
bool is_known_flavor(std::string_view flavor);
// True for a flavor that may become part of a path: lower-case letters and digits, not empty.
bool is_valid_flavor(std::string_view flavor);

// An Istio distribution `X.Y.Z-<flavor>-v<N>`, e.g. `1.29.8-istio-v0`. An empty flavor means a bare
// upstream version seen in a cluster (`1.29.8`).
struct DistributionName {
  Version version;
  std::string flavor;
  std::int64_t flavor_version = 0;

  // Accepts `X.Y.Z`, `X.Y.Z-<flavor>-v<N>` and, like the original tool, `X.Y.Z-<flavor>-<N>`,
  // where the flavor is lower-case letters and digits: names become paths in the store.
  static Result<DistributionName> parse(std::string_view text);

  [[nodiscard]] std::string to_string() const;
  // `X.Y-<flavor>`: distributions of one group are upgrades of each other.
  [[nodiscard]] std::string group() const;
  [[nodiscard]] bool is_upstream() const { return flavor.empty(); }
  [[nodiscard]] bool same_group(const DistributionName& other) const;

  bool operator==(const DistributionName&) const = default;
  // Orders by version, then flavor, then flavor version; within a group this is "newer".
  std::strong_ordering operator<=>(const DistributionName& other) const;
};

}  // namespace getmesh
