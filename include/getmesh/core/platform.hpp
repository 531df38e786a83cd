#pragma once

#include <string>
#include <vector>

namespace getmesh {

// Where dlopen finds the shared libcurl on a platform, and what to tell a user when it cannot.
struct LibcurlLocation {
  std::vector<std::string> names;  // tried in this order; the first with every function wins
  std::string missing_hint;        // none of the names loads
  std::string too_old_hint;        // every library that loads lacks a function getmesh uses
};

// The platform an istioctl archive is built for, in Istio's naming, and the facts of that
// operating system that getmesh depends on.
struct Platform {
  std::string os;    // "linux" or "osx"
  std::string arch;  // "amd64", "arm64", "armv7"

  static Platform host();
  // Istio's archive suffix: "linux-amd64", "osx-arm64", and "osx" for Intel macOS.
  [[nodiscard]] std::string archive_suffix() const;
  // Key of per-platform manifest entries: always "<os>-<arch>".
  [[nodiscard]] std::string key() const { return os + "-" + arch; }

  // The CA bundle used when none is configured. Empty on Linux: libcurl's own default (Debian's
  // is the system bundle); "/etc/ssl/cert.pem", the system's roots, on macOS.
  [[nodiscard]] std::string default_ca_bundle() const;
  [[nodiscard]] LibcurlLocation libcurl() const;
};

}  // namespace getmesh
