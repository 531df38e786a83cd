#include <getmesh/core/platform.hpp>

namespace getmesh {

Platform Platform::host() {
#if defined(__APPLE__)
  const std::string os = "osx";
#else
  const std::string os = "linux";
#endif
#if defined(__aarch64__)
  const std::string arch = "arm64";
#elif defined(__arm__)
  const std::string arch = "armv7";
#else
  const std::string arch = "amd64";
#endif
  return Platform{os, arch};
}

std::string Platform::archive_suffix() const {
  if (os == "osx" && arch == "amd64") return "osx";
  return key();
}

}  // namespace getmesh
