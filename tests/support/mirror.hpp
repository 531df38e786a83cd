#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::testing {

// One member of an archive built by a test; hostile kinds included on purpose.
struct ArchiveMember {
  enum class Type { kFile, kDirectory, kSymlink, kHardlink };
  std::string path;
  Type type = Type::kFile;
  std::string content;      // kFile
  std::string link_target;  // kSymlink, kHardlink
  int mode = 0755;

  static ArchiveMember file(std::string path, std::string content, int mode = 0755) {
    return {std::move(path), Type::kFile, std::move(content), "", mode};
  }
  static ArchiveMember directory(std::string path) {
    return {std::move(path), Type::kDirectory, "", "", 0755};
  }
  static ArchiveMember symlink(std::string path, std::string target) {
    return {std::move(path), Type::kSymlink, "", std::move(target), 0777};
  }
  static ArchiveMember hardlink(std::string path, std::string target) {
    return {std::move(path), Type::kHardlink, "", std::move(target), 0755};
  }
};

// The bytes of a gzip-compressed tar (pax) holding `members` in order.
std::string make_tar_gz(const std::vector<ArchiveMember>& members);
// A fake istioctl: a /bin/sh script that prints `version`.
std::string fake_istioctl(const std::string& version);
std::string sha256_hex(std::string_view data);
// Incompressible filler (the same bytes for the same size).
std::string random_bytes(std::size_t size);

// One distribution of a generated mirror.
struct MirrorDistribution {
  std::string version = "1.29.8";
  std::string flavor = "istio";
  int flavor_version = 0;
  bool release_layout = false;      // istio-<version>/bin/istioctl instead of a bare istioctl
  std::size_t padding_bytes = 0;    // incompressible filler member, for large archives
  bool sha256_file = true;          // write <archive>.sha256 (sha256sum format) beside it
  bool sha256_in_manifest = false;  // also pin the digest in the manifest's downloads
  std::optional<std::string> archive = std::nullopt;  // served instead of a generated archive

  [[nodiscard]] std::string name() const;  // e.g. 1.29.8-istio-v0
};

// A flat mirror, the layout GETMESH_MIRROR expects, written into `directory`:
// istio-<name>-<platform>.tar.gz (+ .sha256) for each distribution and manifest.json listing them.
class TestMirror {
 public:
  TestMirror(std::filesystem::path directory, std::vector<MirrorDistribution> distributions);

  [[nodiscard]] const std::filesystem::path& directory() const { return directory_; }
  [[nodiscard]] std::filesystem::path manifest() const { return directory_ / "manifest.json"; }
  // istio-<name>-<host platform>.tar.gz
  [[nodiscard]] static std::string archive_name(const std::string& name);
  [[nodiscard]] std::filesystem::path archive(const std::string& name) const {
    return directory_ / archive_name(name);
  }
  [[nodiscard]] std::string file_url() const { return "file://" + directory_.string(); }

 private:
  std::filesystem::path directory_;
};

}  // namespace getmesh::testing
