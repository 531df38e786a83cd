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

std::string Platform::default_ca_bundle() const { return os == "osx" ? "/etc/ssl/cert.pem" : ""; }

LibcurlLocation Platform::libcurl() const {
  if (os == "osx") {
    // Full paths only: dyld would search the working directory for a bare name. The system's
    // first (macOS 12 and newer ship 7.77 or newer), then Homebrew's keg-only curl on Apple
    // silicon and on Intel. DYLD_LIBRARY_PATH still takes precedence, as dyld does for any path.
    const std::string homebrew = "or install Homebrew's (brew install curl), which getmesh finds";
    return {{"/usr/lib/libcurl.4.dylib", "/opt/homebrew/opt/curl/lib/libcurl.4.dylib",
             "/usr/local/opt/curl/lib/libcurl.4.dylib"},
            "macOS ships /usr/lib/libcurl.4.dylib; " + homebrew,
            "macOS 12 or newer ships a libcurl getmesh can use; " + homebrew};
  }
  return {{"libcurl.so.4", "libcurl.so"},
          "install the libcurl4 package (apt-get install libcurl4)",
          "upgrade the libcurl4 package to 7.68 or newer"};
}

}  // namespace getmesh
