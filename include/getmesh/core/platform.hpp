#pragma once

#include <string>

namespace getmesh {

// The platform an istioctl archive is built for, in Istio's naming.
struct Platform {
  std::string os;    // "linux" or "osx"
  std::string arch;  // "amd64", "arm64", "armv7"

  static Platform host();
  // Istio's archive suffix: "linux-amd64", "osx-arm64", and "osx" for Intel macOS.
  [[nodiscard]] std::string archive_suffix() const;
  // Key of per-platform manifest entries: always "<os>-<arch>".
  [[nodiscard]] std::string key() const { return os + "-" + arch; }
};

}  // namespace getmesh
