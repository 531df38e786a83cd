#pragma once

#include <getmesh/core/result.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace getmesh {

// A release version `X.Y.Z` with non-negative integer parts (no pre-release suffixes).
struct Version {
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::int64_t patch = 0;

  // Parses exactly three dot-separated decimal numbers.
  static Result<Version> parse(std::string_view text);
  [[nodiscard]] std::string to_string() const;
  // "X.Y", the key of a minor release line.
  [[nodiscard]] std::string minor_string() const;

  auto operator<=>(const Version&) const = default;
};

// A minor release line `X.Y`.
struct MinorVersion {
  std::int64_t major = 0;
  std::int64_t minor = 0;

  // Parses `X.Y`; also accepts `X.Y.Z` and keeps only X.Y when `allow_patch` is set.
  static Result<MinorVersion> parse(std::string_view text, bool allow_patch = false);
  static MinorVersion of(const Version& version) { return {version.major, version.minor}; }
  [[nodiscard]] std::string to_string() const;

  auto operator<=>(const MinorVersion&) const = default;
};

}  // namespace getmesh
