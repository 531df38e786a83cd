#include "mirror/layout.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/manifest/limits.hpp>
#include <getmesh/mirror/mirror.hpp>

#include <array>

namespace getmesh::mirror {

std::string archive_file_name(const DistributionName& name, const Platform& platform) {
  return "istio-" + name.to_string() + "-" + platform.archive_suffix() + ".tar.gz";
}

Result<Platform> parse_platform(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kKnown = {
      "linux-amd64", "linux-arm64", "linux-armv7", "osx-amd64", "osx-arm64"};
  std::string key(text);
  if (key == "osx") key = "osx-amd64";
  for (auto& c : key) {
    if (c == '/') c = '-';
  }
  if (key.starts_with("darwin-")) key = "osx-" + key.substr(7);
  for (const auto known : kKnown) {
    if (key == known) {
      const auto dash = key.find('-');
      return Platform{key.substr(0, dash), key.substr(dash + 1)};
    }
  }
  return usage_error("unknown platform \"" + std::string(text) + "\"",
                     "use linux/amd64, linux/arm64, linux/armv7, darwin/amd64 or darwin/arm64");
}

std::string file_of_url(std::string_view url) {
  const auto path = url.substr(0, url.find_first_of("?#"));
  return std::string(path.substr(path.find_last_of('/') + 1));
}

Result<std::optional<manifest::Manifest>> read_mirror_manifest(
    const std::filesystem::path& directory) {
  const auto path = directory / "manifest.json";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::optional<manifest::Manifest>();
  auto text = read_regular_file(path, manifest::kMaxManifestBytes);
  if (!text) return text.error();
  // Relative URLs resolve against the directory; only their file names matter here.
  auto contents = manifest::parse(*text, path.string(),
                                  "file://" + std::filesystem::absolute(directory).string() + "/");
  if (!contents) return contents.error();
  return std::optional(std::move(*contents));
}

}  // namespace getmesh::mirror
